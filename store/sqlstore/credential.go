package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"

	"stend"
)

// CredentialKeys is what keying the stored hashes of API keys and tokens
// needs of the deployment's hasher (credential.KeyHasher): the store knows
// where the hashes are, not how they are made.
type CredentialKeys interface {
	// Scheme names the hashes the keys make.
	Scheme() string
	// Verifier tells the secret that keyed a database from another.
	Verifier() []byte
	// Rekey converts a plain SHA-256, as databases held before, into the
	// keyed hash.
	Rekey(plain []byte) []byte
}

// credentialHashes names, per table holding key or token hashes, the query
// reading (id, hash) and the one writing a hash by id.
var credentialHashes = [][2]string{
	{"FSSPTokenHashes", "SetFSSPTokenHash"},
	{"OrganizationKeyHashes", "SetOrganizationKeyHash"},
	{"MotivityTokenHashes", "SetMotivityTokenHash"},
	{"ReestroKeyHashes", "SetReestroKeyHash"},
}

// KeyCredentials brings the stored hashes of API keys and tokens under
// keys. A database that records no keying (one whose hashes are the plain
// SHA-256 stored before, or a new one) has every hash converted and the
// scheme and keys' verifier recorded, in one transaction: a conversion is
// never half done, nor done twice. On a keyed database it only checks that
// keys are the ones that keyed it. It reports how many hashes it converted.
// A migration cannot do this: only the node knows the secret.
func (db *DB) KeyCredentials(ctx context.Context, keys CredentialKeys) (int, error) {
	const op = "sqlstore.KeyCredentials"
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return 0, db.dbErr(op, err)
	}
	defer tx.Rollback()
	// Nodes starting together on PostgreSQL: the second waits, then finds
	// the keying the first recorded.
	if db.dialect.LockMigrations != "" {
		if _, err := tx.ExecContext(ctx, db.dialect.LockMigrations); err != nil {
			return 0, db.dbErr(op, err)
		}
	}
	var scheme string
	var verifier []byte
	err = db.row(ctx, tx, "CredentialKeying").Scan(&scheme, &verifier)
	switch {
	case err == nil && scheme != keys.Scheme():
		return 0, stend.Errorf(stend.Invalid, op, "the database's key and token hashes are %q, which this stend does not make (%q)", scheme, keys.Scheme())
	case err == nil && !bytes.Equal(verifier, keys.Verifier()):
		return 0, stend.Errorf(stend.Invalid, op, "the database's key and token hashes were keyed with another secret: "+
			"start every node with the secret that keyed them (--secret, --secret-file, or secret.key in the data directory), or no key or token will authenticate")
	case err == nil:
		return 0, nil
	case !errors.Is(err, sql.ErrNoRows):
		return 0, db.dbErr(op, err)
	}
	converted := 0
	for _, q := range credentialHashes {
		n, err := db.rekey(ctx, tx, q[0], q[1], keys)
		if err != nil {
			return 0, db.dbErr(op, fmt.Errorf("%s: %w", q[0], err))
		}
		converted += n
	}
	if _, err := db.exec(ctx, tx, "InsertCredentialKeying", keys.Scheme(), keys.Verifier()); err != nil {
		return 0, db.dbErr(op, err)
	}
	if err := tx.Commit(); err != nil {
		return 0, db.dbErr(op, err)
	}
	// The platform's settings may have been read before, token hash and all.
	db.motivity.platform.forget()
	return converted, nil
}

// rekey converts the hashes one table holds, read in full before any is
// written, so that no table is updated under its own open query.
func (db *DB) rekey(ctx context.Context, tx *sql.Tx, read, write string, keys CredentialKeys) (int, error) {
	type stored struct {
		id   int64
		hash []byte
	}
	rows, err := db.rows(ctx, tx, read)
	if err != nil {
		return 0, err
	}
	var all []stored
	for rows.Next() {
		var s stored
		if err := rows.Scan(&s.id, &s.hash); err != nil {
			rows.Close()
			return 0, err
		}
		all = append(all, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, s := range all {
		if _, err := db.exec(ctx, tx, write, s.id, keys.Rekey(s.hash)); err != nil {
			return 0, err
		}
	}
	return len(all), nil
}
