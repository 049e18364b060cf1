-- Faults on request: a rule may match the credential a request was
-- authenticated with (named as the journal names it), and may fail runs of
-- a job kind (fssp.task, reestro.check) instead of requests. Empty: any
-- credential; requests.
ALTER TABLE faults ADD COLUMN credential text NOT NULL DEFAULT '';
ALTER TABLE faults ADD COLUMN job text NOT NULL DEFAULT '';
