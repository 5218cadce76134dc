-- Counts per queue state kept by a trigger, so the unfiltered queue's counts are one small read
-- instead of a scan of every document; and an index for counts over a channel and date range.
CREATE TABLE queue_counts (
  queue_state text PRIMARY KEY,
  n           bigint NOT NULL
);
INSERT INTO queue_counts (queue_state, n) SELECT queue_state, count(*) FROM documents GROUP BY queue_state;

CREATE FUNCTION documents_queue_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE queue_counts SET n = n - 1 WHERE queue_state = OLD.queue_state;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO queue_counts (queue_state, n) VALUES (NEW.queue_state, 1)
      ON CONFLICT (queue_state) DO UPDATE SET n = queue_counts.n + 1;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER documents_queue_count_insert_delete AFTER INSERT OR DELETE ON documents
  FOR EACH ROW EXECUTE FUNCTION documents_queue_count();
CREATE TRIGGER documents_queue_count_update AFTER UPDATE OF queue_state ON documents
  FOR EACH ROW WHEN (OLD.queue_state IS DISTINCT FROM NEW.queue_state) EXECUTE FUNCTION documents_queue_count();

CREATE INDEX documents_channel_received ON documents (channel, received_at);
