-- The review index: derived from the S3 review store, rebuilt by `intake reindex`.
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch SCHEMA public;

CREATE TABLE documents (
  doc_id            text PRIMARY KEY,
  stage             text NOT NULL,
  review_state      text NOT NULL,
  -- what the queue filters on: 'quarantined' / 'closed' for those stages, else the review state
  queue_state       text NOT NULL,
  channel           text NOT NULL,
  received_at       timestamptz NOT NULL,
  updated_at        timestamptz NOT NULL,
  media_type        text,
  pages             integer,
  item_count        integer NOT NULL DEFAULT 0,
  item_counts       jsonb,
  member_id         text,
  member_id_norm    text,
  latest_revision   integer NOT NULL DEFAULT 0,
  quarantine_reason text,
  sender            text,
  document_type     text,
  patient_name      text,
  -- lower-cased, accents removed, one entry per word of the name
  name_tokens       text[] NOT NULL DEFAULT '{}',
  -- ISO: yyyy-mm-dd, yyyy-mm or yyyy, as the document states it
  birth_date        text,
  mrn_norm          text,
  claimed_by        text,
  version           integer NOT NULL
);
CREATE INDEX documents_queue ON documents (queue_state, received_at, doc_id);
CREATE INDEX documents_channel_queue ON documents (channel, queue_state, received_at, doc_id);
CREATE INDEX documents_received ON documents (received_at, doc_id);
CREATE INDEX documents_doc_id_prefix ON documents (doc_id text_pattern_ops);
CREATE INDEX documents_name_tokens ON documents USING gin (name_tokens);
CREATE INDEX documents_birth_date ON documents (birth_date);
CREATE INDEX documents_mrn ON documents (mrn_norm);
CREATE INDEX documents_member ON documents (member_id_norm);

-- Every distinct name word once: a typo is matched against this short list, then the GIN index.
CREATE TABLE name_words (
  word   text PRIMARY KEY,
  length integer NOT NULL
);
CREATE INDEX name_words_length ON name_words (length);

CREATE TABLE quarantine (
  doc_id    text PRIMARY KEY,
  stage     text NOT NULL,
  code      text NOT NULL,
  status    text NOT NULL,
  at        timestamptz NOT NULL,
  channel   text,
  record    jsonb NOT NULL
);
CREATE INDEX quarantine_status_at ON quarantine (status, at DESC);
CREATE INDEX quarantine_at ON quarantine (at DESC);

CREATE TABLE audit_events (
  key     text PRIMARY KEY,
  at      timestamptz NOT NULL,
  actor   text NOT NULL,
  action  text NOT NULL,
  doc_id  text,
  event   jsonb NOT NULL
);
CREATE INDEX audit_actor_at ON audit_events (actor, at DESC);
CREATE INDEX audit_at ON audit_events (at DESC);
CREATE INDEX audit_doc_at ON audit_events (doc_id, at DESC) WHERE doc_id IS NOT NULL;
CREATE INDEX audit_action_at ON audit_events (action text_pattern_ops, at DESC);
