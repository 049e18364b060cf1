//go:build !unix

package server

// raiseFileLimit has nothing to raise here; 0 says the limit is unknown.
func raiseFileLimit() uint64 { return 0 }
