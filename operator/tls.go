package operator

import (
	"net/http"

	"stend"
)

// TLSCA is the certificate (PEM) of the CA that issued the node's HTTPS
// certificate, for users to trust.
func (s *Service) TLSCA() ([]byte, error) {
	if s.TLSCACert == nil {
		return nil, stend.Errorf(stend.NotFound, "operator.TLSCA", "this node serves no HTTPS certificate issued by a CA it holds: start it with --tls-addr, and without --tls-cert")
	}
	return s.TLSCACert, nil
}

func (h *HTTP) tlsRoutes(m *http.ServeMux) {
	m.HandleFunc("GET /operator/v1/tls/ca", func(w http.ResponseWriter, r *http.Request) {
		pem, err := h.svc.TLSCA()
		if err != nil {
			writeError(w, err)
			return
		}
		w.Header().Set("Content-Type", "application/x-pem-file")
		_, _ = w.Write(pem)
	})
}
