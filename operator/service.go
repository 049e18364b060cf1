// Package operator is the one implementation behind the three operator
// surfaces: the `stend` commands, the operator HTTP API and the seed file.
// It provisions what the published APIs assume exists and lets operators
// read what clients sent.
package operator

import (
	"time"

	"stend"
	"stend/blob"
	"stend/credential"
	"stend/fault"
	"stend/fssp"
	"stend/journal"
	"stend/migrantexam"
	"stend/motivity"
	"stend/reestro"
)

// Service provisions and inspects the stand.
type Service struct {
	MigrantExam migrantexam.Store
	FSSP        fssp.Store
	Motivity    motivity.Store
	Reestro     reestro.Store
	Clock       stend.Clock // the stand's clock
	// PasswordIterations is the PBKDF2 cost of the passwords it stores
	// (server.Config.PasswordIterations).
	PasswordIterations int
	// Keys hashes the API keys and tokens it stores, as the APIs look them
	// up.
	Keys credential.KeyHasher
	// Blobs keeps the bytes of the files operators upload, up to
	// MaxFileBytes each (server.Config.MotivityMaxFileBytes; 0: the
	// document's 10 GiB), the public upload's limit.
	Blobs        blob.Store
	MaxFileBytes int64
	// JournalStore keeps the request journal; Journal, this node's writer
	// of it (nil when the node journals nothing), is flushed before a read
	// so that a request just answered is in it.
	JournalStore journal.Store
	Journal      *journal.Writer
	// FaultStore keeps the fault rules; FaultsChanged tells this node's
	// injector that they changed, so that they apply at once here.
	FaultStore    fault.Store
	FaultsChanged func()
	// CredentialsChanged tells this node's APIs that credentials changed
	// (an organization's, a token, a key or its grants), so that they apply
	// here at once; other nodes follow within a second (their caches).
	CredentialsChanged func()
	// TLSCACert is the PEM certificate of the CA that issued the node's
	// HTTPS certificate; nil when it holds none.
	TLSCACert []byte
	// Stand resets and snapshots the whole stand (nil: it cannot).
	Stand *StandControl
	// Search searches and pages across the domains (console_search.go).
	Search SearchStore
}

// now is the stand's time: the operator surface is an edge, where "now"
// is decided for what it stores.
func (s *Service) now() time.Time { return s.Clock.Now() }

// credentialsChanged runs after any change of credentials: the APIs keep
// what they read of them for a second (httpx.CredentialCache).
func (s *Service) credentialsChanged() {
	if s.CredentialsChanged != nil {
		s.CredentialsChanged()
	}
}
