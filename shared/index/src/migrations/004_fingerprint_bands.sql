-- Issue 15 (throughput): the LSH bands of the intake checks' document fingerprints
-- (shared/arrivals/src/checks.ts), in place of one empty S3 marker object per band: a document's
-- 42 bands are one insert, and the documents sharing any of them one query (they were 42 listings
-- and 42 puts per document). Derived, like the rest of the index: the fingerprints in S3
-- (fingerprints/docs/{docId}.json keep the signature) are the record, and the checks fill this
-- table from them when it has not been filled (the row band '~backfilled').
CREATE TABLE fingerprint_bands (
  band text COLLATE "C" NOT NULL,
  doc_id text COLLATE "C" NOT NULL,
  PRIMARY KEY (band, doc_id)
);
