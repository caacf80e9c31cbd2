package ingest

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/opencredit/opencredit"
)

// Digest is the fingerprint of an event's content, the part that a re-sent
// event must repeat to be a duplicate: type, subject, time (to the
// nanosecond), content type and data. The data counts as JSON, not as
// bytes: whitespace, key order and number spelling ("1.0", "1") do not make
// another event, so a furnisher whose tool re-encodes an event it sent
// before is not told the event conflicts. Source and id are the key and are
// not part of it.
func Digest(e opencredit.Event) string {
	h := sha256.New()
	field := func(s string) {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	field(e.Type)
	field(e.Subject)
	var t [8]byte
	binary.BigEndian.PutUint64(t[:], uint64(e.Time.UnixNano()))
	h.Write(t[:])
	ct := e.DataContentType
	if ct == "" {
		ct = opencredit.DataContentType
	}
	field(ct)
	field(string(canonicalJSON(e.Data)))
	return hex.EncodeToString(h.Sum(nil))
}

// canonicalJSON re-encodes data with sorted keys, no whitespace and numbers
// as float64 print them; data that is not JSON is returned as it is (the
// store holds only validated events, so that is a caller's bug, and the
// bytes still make a digest).
func canonicalJSON(data []byte) []byte {
	var v any
	d := json.NewDecoder(bytes.NewReader(data))
	if err := d.Decode(&v); err != nil {
		return data
	}
	out, err := json.Marshal(v)
	if err != nil {
		return data
	}
	return out
}

// conflict is the result of an event whose (source, id) was accepted with
// other content.
func conflict(sent opencredit.Event, stored string, where string) opencredit.IngestResult {
	return reject(opencredit.ReasonConflict, fmt.Sprintf(
		"event (%s, %s) was accepted %s with other content (accepted digest %s, this one %s): an event id names one event for good; send a change as a new event with a new id, or dispute the old one",
		sent.Source, sent.ID, where, stored[:16], Digest(sent)[:16]))
}
