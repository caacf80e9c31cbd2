package features

import (
	"bytes"
	"slices"
	"testing"

	"github.com/opencredit/opencredit"
)

// sampleState is a state with every kind of fact, built from a random stream.
func sampleState(tb testing.TB, seed uint64) *State {
	tb.Helper()
	r := &rng{s: seed}
	var evs []opencredit.Event
	for len(evs) < 40 {
		evs = genStream(r)
	}
	s, err := Recompute(evs)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

func TestMarshalRoundTrip(t *testing.T) {
	for seed := uint64(1); seed <= 50; seed++ {
		s := sampleState(t, seed)
		b, err := s.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var u State
		if err := u.UnmarshalBinary(b); err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		if !u.Equal(s) {
			t.Fatalf("seed %d: the round trip changed the state", seed)
		}
		// Unmarshal must not keep b: overwriting it changes nothing.
		clear(b)
		if !u.Equal(s) {
			t.Fatalf("seed %d: the state shares memory with its encoding", seed)
		}
	}
	var u State
	b, _ := NewState().MarshalBinary()
	if err := u.UnmarshalBinary(b); err != nil || !u.Equal(NewState()) {
		t.Errorf("empty state: %v", err)
	}
	if len(b) != 8 {
		t.Errorf("the empty state takes %d bytes, want 8: magic (3), version, presence and three zero counts", len(b))
	}
}

func TestUnmarshalRejects(t *testing.T) {
	s := sampleState(t, 7)
	good, _ := s.MarshalBinary()
	bad := map[string][]byte{
		"empty":          nil,
		"other magic":    append([]byte("ocx"), good[3:]...),
		"version 2":      append([]byte("ocf\x02"), good[4:]...),
		"trailing bytes": append(slices.Clone(good), 0),
	}
	for n := range len(good) {
		bad["truncated"] = good[:n]
		for name, b := range bad {
			var u State
			if err := u.UnmarshalBinary(b); opencredit.ErrorCode(err) != opencredit.EINVALID {
				t.Fatalf("%s (%d of %d bytes): err = %v, want an invalid error", name, len(b), len(good), err)
			}
		}
	}

	// Encodings Marshal would write for a state Apply never builds.
	broken := map[string]func(s *State){
		"items out of order":      func(s *State) { slices.Reverse(s.items) },
		"accounts out of order":   func(s *State) { slices.Reverse(s.accounts) },
		"statements out of order": func(s *State) { slices.Reverse(s.accounts[0].stmts) },
		"an empty account": func(s *State) {
			s.accounts = append(s.accounts, account{source: "zz", id: "zz"})
		},
		"an account without id": func(s *State) { s.accounts[0].id = "" },
		"a first event after a fact": func(s *State) {
			s.first = s.items[0].t + 1
		},
		"an unknown product": func(s *State) { s.accounts[0].opened, s.accounts[0].product = true, 9 },
		"days past due beyond the cap": func(s *State) {
			s.items[0].val = maxDays + 1
		},
	}
	for name, f := range broken {
		c := sampleState(t, 7)
		if len(c.accounts[0].stmts) < 2 || len(c.items) < 2 || len(c.accounts) < 2 {
			t.Fatal("the sample state is too small for this test")
		}
		f(c)
		b, _ := c.MarshalBinary()
		var u State
		if err := u.UnmarshalBinary(b); opencredit.ErrorCode(err) != opencredit.EINVALID {
			t.Errorf("%s: err = %v, want an invalid error", name, err)
		}
		// A failed Unmarshal leaves the state as it was.
		u = *sampleState(t, 3)
		_ = u.UnmarshalBinary(b)
		if !u.Equal(sampleState(t, 3)) {
			t.Errorf("%s: a failed Unmarshal changed the state", name)
		}
	}
}

// FuzzUnmarshalBinary feeds arbitrary bytes to UnmarshalBinary: it must never
// panic, and since it accepts only canonical encodings, a state it accepts
// must encode back to the very same bytes — both from the copy of the input
// it keeps and from scratch.
func FuzzUnmarshalBinary(f *testing.F) {
	for seed := uint64(1); seed <= 8; seed++ {
		b, _ := sampleState(f, seed).MarshalBinary()
		f.Add(b)
		f.Add(b[:len(b)/2])
	}
	empty, _ := NewState().MarshalBinary()
	f.Add(empty)
	f.Add([]byte("ocf\x01\x0f"))
	f.Fuzz(func(t *testing.T, b []byte) {
		var s State
		if err := s.UnmarshalBinary(b); err != nil {
			if opencredit.ErrorCode(err) != opencredit.EINVALID {
				t.Fatalf("error without the invalid code: %v", err)
			}
			return
		}
		b2, err := s.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b, b2) {
			t.Fatalf("accepted %x, which encodes back to %x", b, b2)
		}
		fresh := s
		fresh.itemsEnc, fresh.itemsEncN = "", 0
		fresh.accounts = slices.Clone(s.accounts)
		for i := range fresh.accounts {
			fresh.accounts[i].stmtsEnc, fresh.accounts[i].stmtsEncN = "", 0
		}
		if b3, _ := fresh.MarshalBinary(); !bytes.Equal(b, b3) {
			t.Fatalf("accepted %x, which encodes from scratch to %x", b, b3)
		}
		// A decoded state computes without panicking.
		s.Compute("s", genNow, DefaultConfig())
	})
}
