//go:build !race

package motivity_test

const raceDetector = false
