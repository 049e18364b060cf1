-- The legal search takes the first ids of a chunk of entities from the
-- index alone (ProceedingsByLegalIDsUpTo), as SQLite's index, which carries
-- the rowid, could; see 0023. It must match DDLCreateLegalIndex (fssp.sql).
DROP INDEX IF EXISTS fssp_proceedings_legal;
CREATE INDEX fssp_proceedings_legal ON fssp_proceedings (legal_id) INCLUDE (id) WHERE legal_id IS NOT NULL;
