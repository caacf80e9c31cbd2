package audit_test

import (
	"bytes"
	"testing"

	"golang.org/x/mod/sumdb/note"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/audit/audittest"
)

// FuzzOpenCheckpoint feeds OpenCheckpoint what 'audit verify --checkpoint'
// reads from a file: any bytes as they are, and any text signed with the
// log's key, so that the checkpoint parser behind the signature is reached.
// Either it returns a tree of zero or more records or an EINVALID error; it
// never panics.
func FuzzOpenCheckpoint(f *testing.F) {
	s, v := audittest.Keys(f)
	f.Add([]byte("opencredit-test\n3\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"))
	f.Add([]byte("x\n-1\n\n"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, text []byte) {
		check := func(signed []byte) {
			tree, err := audit.OpenCheckpoint(v, signed)
			if err != nil {
				if opencredit.ErrorCode(err) != opencredit.EINVALID {
					t.Fatalf("error without the invalid code: %v", err)
				}
				return
			}
			if tree.N < 0 {
				t.Fatalf("accepted a tree of %d records", tree.N)
			}
		}
		check(text)
		signed, err := note.Sign(&note.Note{Text: string(text)}, s)
		if err != nil {
			return // not note text: no newline at the end, or not UTF-8
		}
		check(signed)
		if !bytes.Equal(signed[:len(text)], text) {
			t.Fatalf("signing changed the text")
		}
	})
}
