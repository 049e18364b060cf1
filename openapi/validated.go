package openapi

// Validated are the APIs whose every request and answer in the test suites
// is validated against their documents (stendtest). An API joins once its
// document is complete and the whole suite holds to it; until then a test
// run validates it when STEND_OPENAPI_VALIDATE names it.
var Validated = []string{"fssp", "migrant-exam", "reestro", "motivity", "operator"}
