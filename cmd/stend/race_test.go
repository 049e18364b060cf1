//go:build race

package main

// raceEnabled: the race detector makes the demo seed's bank generation
// ten times slower (48 s for 50,000 records on the CI machine).
const raceEnabled = true
