-- The person and number searches take their candidates' ids from the index
-- alone (an index-only scan, on a bank whose visibility map a VACUUM set: a
-- load into an empty bank ends with one), as SQLite does with the rowid that
-- each of its indexes carries; a PostgreSQL index holds no id unless told,
-- so each candidate cost a heap page (issue 20, docs/benchmarks.md). They
-- must match DDLCreatePersonIndex and DDLCreateNumberIndex (fssp.sql), which
-- a load into an empty bank builds them with.
DROP INDEX IF EXISTS fssp_proceedings_person;
CREATE INDEX fssp_proceedings_person ON fssp_proceedings (person_key, patronymic_key, birth_date) INCLUDE (id) WHERE person_key IS NOT NULL;
DROP INDEX IF EXISTS fssp_proceedings_number;
CREATE INDEX fssp_proceedings_number ON fssp_proceedings (number_key, department_id) INCLUDE (id);
