-- A legal chunk's rows straight from the legal index in (legal_id, id)
-- order, the scan stopping at the rows still wanted
-- (ProceedingsByLegalIDsUpTo): 0025's index gave the ids alone, unordered
-- within an entity, and each row was then found again through the primary
-- key (three of a chunk's four buffers a row). It must match
-- DDLCreateLegalIndex (fssp.sql).
DROP INDEX IF EXISTS fssp_proceedings_legal;
CREATE INDEX fssp_proceedings_legal ON fssp_proceedings (legal_id, id) WHERE legal_id IS NOT NULL;
