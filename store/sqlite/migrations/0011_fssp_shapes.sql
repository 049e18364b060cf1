-- The shapes the real service answered beside today's (issue 18). shape
-- holds how a proceeding is written, as bits: 1 its number in the short
-- format (own/yy/dd/rr); 2–4 (two bits, by 2) how its amounts are written
-- (fssp.AmountFormat); 8–16 (two bits, by 8) how its bailiff is written
-- (fssp.BailiffFormat). Bits rather than columns: they are read with every
-- proceeding answered, and one integer is the least to read and write.
-- consolidated is the consolidated proceeding's number, own*10^7 +
-- yy*10^5 + department (a 10-digit own part fits a 64-bit integer).
ALTER TABLE fssp_proceedings ADD COLUMN shape INTEGER NOT NULL DEFAULT 0;
ALTER TABLE fssp_proceedings ADD COLUMN consolidated INTEGER;
