# A stand in a container: the static binary on an empty image, so that
# building the image pulls nothing from a registry. Build the binary first
# (docs/container.md):
#
#   CGO_ENABLED=0 go build -trimpath -o stend ./cmd/stend
#   docker build -t stend .
#   docker run -p 8080:8080 -e STEND_OPERATOR_TOKEN=demo-operator-token stend
#
# The binary needs nothing of the image: SQLite is compiled in (pure Go), and
# so is the time-zone database. For S3 over HTTPS, add the host's CA bundle
# (COPY ca-certificates.crt /etc/ssl/certs/).
FROM scratch
COPY stend /stend
COPY demo /demo
VOLUME /data
EXPOSE 8080
ENV STEND_ADDR=0.0.0.0:8080 STEND_DATA_DIR=/data
ENTRYPOINT ["/stend"]
CMD ["serve", "--seed", "/demo/seed.json"]
