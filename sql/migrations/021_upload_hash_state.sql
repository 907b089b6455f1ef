-- The SHA-256 of an upload's confirmed bytes, carried from chunk to chunk so that the last
-- chunk completes the hash without reading the file again (docs/api-evidence.md, "One pass
-- over the bytes"): the eight 32-bit words of the SHA-256 state, big-endian, after the whole
-- 64-byte blocks of the first `received` bytes. Written in the transaction that confirms
-- `received`, so it always matches it; NULL when it is not known (an upload begun before this
-- column, an offset set back to what is on disk): the completion then reads the file again.
ALTER TABLE uploads ADD COLUMN sha256_state BINARY(32) NULL AFTER received;
