package sqlstore

// LegalPage lets the contract test tie the literal LIMIT of LegalByTrigram
// and LegalByRegion to the page size SearchLegal stops at.
const LegalPage = legalPage
