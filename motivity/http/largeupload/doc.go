// Package largeupload holds the test of a large upload's memory: alone in
// its package, so that the process's peak RSS is the upload's and no other
// test's.
package largeupload
