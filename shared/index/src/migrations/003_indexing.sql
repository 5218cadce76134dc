-- Issue 11 (indexing): documents whose pages name different patients, the clerk's confirmed
-- document type, and where a document made from other documents' pages came from.
ALTER TABLE documents ADD COLUMN mixed_patients boolean NOT NULL DEFAULT false;
ALTER TABLE documents ADD COLUMN document_type_suggested text;
ALTER TABLE documents ADD COLUMN document_type_by text;
ALTER TABLE documents ADD COLUMN derived_from jsonb;

-- Queue filters: by type, and the (few) documents flagged as naming several patients.
CREATE INDEX documents_type_queue ON documents (document_type, queue_state, received_at, doc_id);
CREATE INDEX documents_mixed ON documents (queue_state, received_at, doc_id) WHERE mixed_patients;
CREATE INDEX documents_claimed ON documents (claimed_by, queue_state, received_at, doc_id) WHERE claimed_by IS NOT NULL;
