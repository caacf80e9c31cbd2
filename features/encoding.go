package features

// The binary encoding of a State, version 1. Integers are unsigned varints
// (encoding/binary's Uvarint); "zz" marks a zigzag-encoded signed one. The
// ingestion path decodes and re-encodes a subject's whole state for every
// batch, so the format packs each fact's time and flags into one varint and
// omits what is zero or repeated: most items take 4 bytes and 1 varint.
//
//	magic    "ocf", version byte 1
//	present  bit 0: first; bits 1–3: identity levels 1–3 verified
//	first    abs time, if present
//	identity abs time of each level present, ascending level
//	items    count, then per item: the head
//	         Δs<<6 | kind<<2 | hasVal<<1 | hasNs, [ns], [val]
//	accounts count, then per account: string source, string id,
//	         flags = product<<3 | hasLimit<<2 | closed<<1 | opened,
//	         if opened: abs time openT, string openID, [float openLimit],
//	         if closed: abs time closeT,
//	         statement count, then per statement: the head
//	         Δs<<4 | limit<<2 | hasDpd<<1 | hasNs, [ns], string id,
//	         float balance, [dpd], [float limit if limit is 1]
//	incomes  count, then per income: Δs<<1 | hasNs, [ns], string id,
//	         float monthly
//
// Times are whole seconds since 1900-01-01 UTC plus, when hasNs, the
// nanoseconds within the second: event times are mostly whole seconds. An
// abs time is s<<1 | hasNs, [ns]; in a sorted list Δs is the difference in
// seconds from the previous element (from 1900 for the first). A statement's
// limit field is 0 without a limit, 1 when one follows, 2 when it is the
// previous statement's. A string is its length and its bytes. A float that
// is a whole number of cents c (|c| ≤ 2^53) is zz(c)<<1; any other is the
// byte 1 and its 8 IEEE 754 bytes, little-endian.
//
// UnmarshalBinary checks every order and bound that Apply keeps, and
// accepts only the one encoding MarshalBinary writes (minimal varints, no
// flag set for a zero, no float in full that fits in cents, no limit
// repeated in full): so a state it accepts behaves like one built by Apply,
// and its unchanged parts can be copied back byte for byte.

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"strings"

	"github.com/opencredit/opencredit"
)

const (
	magic   = "ocf"
	version = 1
)

// Times are encoded in seconds from minSec; every event time is below maxSec.
var minSec, maxSec = minTime.Unix(), maxTime.Unix()

// MarshalBinary encodes the state compactly; equal states encode to equal
// bytes, and the bytes UnmarshalBinary accepted encode back to themselves.
func (s *State) MarshalBinary() ([]byte, error) {
	n := 16 + len(s.itemsEnc) + 6*(len(s.items)-s.itemsEncN) + 16*len(s.incomes)
	for i := range s.accounts {
		a := &s.accounts[i]
		n += 32 + len(a.source) + len(a.id) + len(a.openID) + len(a.stmtsEnc)
		for j := a.stmtsEncN; j < len(a.stmts); j++ {
			n += 24 + len(a.stmts[j].id)
		}
	}
	b := make([]byte, 0, n)
	b = append(b, magic...)
	b = append(b, version)
	present := uint64(0)
	if s.first != never {
		present |= 1
	}
	for l, t := range s.identity {
		if t != never {
			present |= 2 << l
		}
	}
	b = binary.AppendUvarint(b, present)
	if s.first != never {
		b = appendAbsTime(b, s.first)
	}
	for _, t := range s.identity {
		if t != never {
			b = appendAbsTime(b, t)
		}
	}

	b = binary.AppendUvarint(b, uint64(len(s.items)))
	b = append(b, s.itemsEnc...)
	b = appendItems(b, s.items, s.itemsEncN)

	b = binary.AppendUvarint(b, uint64(len(s.accounts)))
	for i := range s.accounts {
		a := &s.accounts[i]
		b = appendString(b, a.source)
		b = appendString(b, a.id)
		flags := uint64(a.product) << 3
		if a.opened {
			flags |= 1
		}
		if a.closed {
			flags |= 2
		}
		if a.hasLimit {
			flags |= 4
		}
		b = binary.AppendUvarint(b, flags)
		if a.opened {
			b = appendAbsTime(b, a.openT)
			b = appendString(b, a.openID)
			if a.hasLimit {
				b = appendFloat(b, a.openLimit)
			}
		}
		if a.closed {
			b = appendAbsTime(b, a.closeT)
		}
		b = binary.AppendUvarint(b, uint64(len(a.stmts)))
		b = append(b, a.stmtsEnc...)
		b = appendStmts(b, a.stmts, a.stmtsEncN)
	}

	b = binary.AppendUvarint(b, uint64(len(s.incomes)))
	prev := minSec
	for _, in := range s.incomes {
		sec, ns := splitNanos(in.t)
		b = appendHead(b, uint64(sec-prev)<<1, ns)
		b = appendString(b, in.id)
		b = appendFloat(b, in.monthly)
		prev = sec
	}
	return b, nil
}

// appendItems encodes items[from:], which follow items[:from].
func appendItems(b []byte, items []item, from int) []byte {
	prev := minSec
	if from > 0 {
		prev, _ = splitNanos(items[from-1].t)
	}
	for _, it := range items[from:] {
		sec, ns := splitNanos(it.t)
		head := uint64(sec-prev)<<6 | uint64(it.kind)<<2
		if it.val != 0 {
			head |= 2
		}
		b = appendHead(b, head, ns)
		if it.val != 0 {
			b = binary.AppendUvarint(b, uint64(it.val))
		}
		prev = sec
	}
	return b
}

// appendStmts encodes stmts[from:], which follow stmts[:from].
func appendStmts(b []byte, stmts []stmt, from int) []byte {
	prev := minSec
	if from > 0 {
		prev, _ = splitNanos(stmts[from-1].t)
	}
	for j := from; j < len(stmts); j++ {
		st := &stmts[j]
		sec, ns := splitNanos(st.t)
		lim := uint64(0)
		if st.hasLimit {
			lim = 1
			if j > 0 && stmts[j-1].hasLimit && stmts[j-1].limit == st.limit {
				lim = 2
			}
		}
		head := uint64(sec-prev)<<4 | lim<<2
		if st.dpd != 0 {
			head |= 2
		}
		b = appendHead(b, head, ns)
		b = appendString(b, st.id)
		b = appendFloat(b, st.balance)
		if st.dpd != 0 {
			b = binary.AppendUvarint(b, uint64(st.dpd))
		}
		if lim == 1 {
			b = appendFloat(b, st.limit)
		}
		prev = sec
	}
	return b
}

// appendHead appends a head whose bit 0 is free for hasNs, and the
// nanoseconds when not 0.
func appendHead(b []byte, head uint64, ns int64) []byte {
	if ns == 0 {
		return binary.AppendUvarint(b, head)
	}
	b = binary.AppendUvarint(b, head|1)
	return binary.AppendUvarint(b, uint64(ns))
}

func appendAbsTime(b []byte, t int64) []byte {
	sec, ns := splitNanos(t)
	return appendHead(b, uint64(sec-minSec)<<1, ns)
}

// splitNanos splits Unix nanoseconds into seconds and nanoseconds ≥ 0.
func splitNanos(t int64) (sec, ns int64) {
	sec, ns = t/1e9, t%1e9
	if ns < 0 {
		sec, ns = sec-1, ns+1e9
	}
	return sec, ns
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// maxCents bounds the cents a float may be encoded as: up to 2^53 every
// integer is exact in a float64.
const maxCents = 1 << 53

// cents returns v as a whole number of cents, if it is one that c/100 gives
// back exactly.
func cents(v float64) (int64, bool) {
	c := math.Round(v * 100)
	return int64(c), math.Abs(c) <= maxCents && math.Float64bits(c/100) == math.Float64bits(v)
}

func appendFloat(b []byte, v float64) []byte {
	if c, ok := cents(v); ok {
		return binary.AppendUvarint(b, zigzag(c)<<1)
	}
	b = append(b, 1)
	return binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
}

func zigzag(v int64) uint64   { return uint64(v<<1) ^ uint64(v>>63) }
func unzigzag(u uint64) int64 { return int64(u>>1) ^ -int64(u&1) }

// UnmarshalBinary replaces the state with the one b encodes. Input that is
// not the canonical encoding of a state Apply can build — truncated,
// corrupt, of an unknown version, out of order, or written otherwise than
// MarshalBinary writes it — is an EINVALID error, never a panic; the state
// is then left unchanged.
func (s *State) UnmarshalBinary(b []byte) error {
	if len(b) < len(magic)+1 || string(b[:len(magic)]) != magic {
		return corrupt("not a feature state")
	}
	if b[len(magic)] != version {
		return corrupt("version %d, want %d", b[len(magic)], version)
	}
	d := decoder{b: b, off: len(magic) + 1, str: string(b), low: never}
	n := NewState()
	present := d.uvarint()
	if present > 15 {
		d.fail("unknown presence bits %#x", present)
	}
	if present&1 != 0 {
		n.first = d.absTime()
	}
	for l := range n.identity {
		if present&(2<<l) != 0 {
			n.identity[l] = d.absTime()
			d.low = min(d.low, n.identity[l])
		}
	}

	if k := d.count(); k > 0 {
		n.items = make([]item, k)
		start, prev := d.off, minSec
		for i := range n.items {
			it := &n.items[i]
			head := d.uvarint()
			it.t, prev = d.time(prev, head>>6, head&1 != 0)
			it.kind = uint8(head >> 2 & 15)
			if it.kind == 0 || it.kind > kindMax {
				d.fail("item %d: kind %d", i, it.kind)
			}
			if head&2 != 0 {
				it.val = d.days()
			}
			if i > 0 && n.items[i-1].t >= it.t && itemCmp(n.items[i-1], *it) > 0 {
				d.fail("item %d out of order", i)
			}
			if d.err != nil {
				return d.err
			}
		}
		n.itemsEnc, n.itemsEncN = d.str[start:d.off], k
		d.low = min(d.low, n.items[0].t)
	}

	if k := d.count(); k > 0 {
		n.accounts = make([]account, k)
		for i := range n.accounts {
			if err := d.account(&n.accounts[i]); err != nil {
				return err
			}
			if i > 0 && accountCmp(&n.accounts[i-1], n.accounts[i].source, n.accounts[i].id) >= 0 {
				d.fail("account %d out of order", i)
			}
		}
	}

	if k := d.count(); k > 0 {
		n.incomes = make([]income, k)
		prev := minSec
		for i := range n.incomes {
			in := &n.incomes[i]
			head := d.uvarint()
			in.t, prev = d.time(prev, head>>1, head&1 != 0)
			in.id = d.string()
			in.monthly = d.float()
			if i > 0 && incomeCmp(n.incomes[i-1], *in) > 0 {
				d.fail("income %d out of order", i)
			}
			if d.err != nil {
				return d.err
			}
		}
		d.low = min(d.low, n.incomes[0].t)
	}

	if d.err == nil && d.off != len(b) {
		d.fail("%d bytes after the end", len(b)-d.off)
	}
	if d.err == nil && d.low < n.first {
		d.fail("a fact predates the first event")
	}
	if d.err != nil {
		return d.err
	}
	*s = *n
	return nil
}

func (d *decoder) account(a *account) error {
	a.source = d.string()
	a.id = d.string()
	flags := d.uvarint()
	a.opened, a.closed, a.hasLimit = flags&1 != 0, flags&2 != 0, flags&4 != 0
	p := flags >> 3
	switch {
	case a.id == "":
		d.fail("account with an empty id")
	case a.opened && (p == 0 || p >= uint64(len(products))):
		d.fail("account %q: product %d", a.id, p)
	case !a.opened && flags&^2 != 0:
		d.fail("account %q: flags %#x without an opening", a.id, flags)
	}
	if d.err != nil {
		return d.err
	}
	a.product = uint8(p)
	if a.opened {
		a.openT = d.absTime()
		a.openID = d.string()
		if a.hasLimit {
			a.openLimit = d.float()
		}
		d.low = min(d.low, a.openT)
	}
	if a.closed {
		a.closeT = d.absTime()
		d.low = min(d.low, a.closeT)
	}
	k := d.count()
	if d.err == nil && k == 0 && !a.opened && !a.closed {
		d.fail("account %q holds nothing", a.id)
	}
	if d.err != nil || k == 0 {
		return d.err
	}
	a.stmts = make([]stmt, k)
	start, prev := d.off, minSec
	for j := range a.stmts {
		st := &a.stmts[j]
		head := d.uvarint()
		st.t, prev = d.time(prev, head>>4, head&1 != 0)
		st.id = d.string()
		st.balance = d.float()
		if head&2 != 0 {
			st.dpd = d.days()
		}
		switch head >> 2 & 3 {
		case 1:
			st.hasLimit, st.limit = true, d.float()
			if j > 0 && a.stmts[j-1].hasLimit && a.stmts[j-1].limit == st.limit {
				d.fail("statement %d of account %q repeats the limit in full", j, a.id)
			}
		case 2:
			if j == 0 || !a.stmts[j-1].hasLimit {
				d.fail("statement %d of account %q repeats a limit that is not there", j, a.id)
				return d.err
			}
			st.hasLimit, st.limit = true, a.stmts[j-1].limit
		case 3:
			d.fail("statement %d of account %q: limit field 3", j, a.id)
		}
		if j > 0 && a.stmts[j-1].t >= st.t && stmtCmp(a.stmts[j-1], *st) > 0 {
			d.fail("statement %d of account %q out of order", j, a.id)
		}
		if d.err != nil {
			return d.err
		}
	}
	a.stmtsEnc, a.stmtsEncN = d.str[start:d.off], k
	d.low = min(d.low, a.stmts[0].t)
	return nil
}

// decoder reads an encoded state. The first error sticks: the caller checks
// err, and reads after it return values that do not matter.
type decoder struct {
	b   []byte
	off int
	str string // b as a string, so that decoded strings share one allocation
	low int64  // the earliest time decoded so far
	err error
}

func (d *decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = corrupt("at byte %d: %s", d.off, fmt.Sprintf(format, args...))
	}
}

// uvarint reads a varint, one-byte ones inline: most of the format's are.
func (d *decoder) uvarint() uint64 {
	if off := d.off; off < len(d.b) {
		if c := d.b[off]; c < 0x80 {
			d.off = off + 1
			return uint64(c)
		}
	}
	return d.uvarintLong()
}

// uvarintLong reads a varint of up to 8 bytes without a loop: the first
// byte without a continuation bit ends it, and the 7-bit groups are packed
// by shifts. An overlong varint (a final byte 0) is not canonical.
func (d *decoder) uvarintLong() uint64 {
	if len(d.b)-d.off >= 8 {
		x := binary.LittleEndian.Uint64(d.b[d.off:])
		if stop := ^x & 0x8080808080808080; stop != 0 {
			w := uint(bits.TrailingZeros64(stop)) + 1 // 8 × the varint's length
			x &= 1<<w - 1                             // 1<<64 is 0 in Go: all ones for 8 bytes
			if x>>(w-8) == 0 {
				d.fail("overlong varint")
				return 0
			}
			d.off += int(w / 8)
			return x&0x7f | x>>1&(0x7f<<7) | x>>2&(0x7f<<14) | x>>3&(0x7f<<21) |
				x>>4&(0x7f<<28) | x>>5&(0x7f<<35) | x>>6&(0x7f<<42) | x>>7&(0x7f<<49)
		}
	}
	u, n := binary.Uvarint(d.b[d.off:])
	if n <= 0 || n > 1 && d.b[d.off+n-1] == 0 {
		d.fail("bad varint")
		return 0
	}
	d.off += n
	return u
}

// count reads a number of elements, each of which takes at least one byte.
func (d *decoder) count() int {
	u := d.uvarint()
	if u > uint64(len(d.b)-d.off) {
		d.fail("count %d exceeds the input", u)
		return 0
	}
	return int(u)
}

// days reads a delay that the head said is not 0.
func (d *decoder) days() uint32 {
	u := d.uvarint()
	if u == 0 || u > maxDays {
		d.fail("%d days", u)
		return 0
	}
	return uint32(u)
}

// time returns the time prev + delta seconds, reading its nanoseconds when
// hasNs, and its seconds, the next prev.
func (d *decoder) time(prev int64, delta uint64, hasNs bool) (int64, int64) {
	var ns uint64
	if hasNs {
		if ns = d.uvarint(); ns == 0 || ns >= 1e9 {
			d.fail("nanoseconds %d", ns)
		}
	}
	// prev is in [minSec, maxSec): compare before adding, so nothing overflows.
	if delta >= uint64(maxSec-prev) {
		d.fail("time out of range")
		return 0, prev
	}
	sec := prev + int64(delta)
	return sec*1e9 + int64(ns), sec
}

func (d *decoder) absTime() int64 {
	u := d.uvarint()
	t, _ := d.time(minSec, u>>1, u&1 != 0)
	return t
}

func (d *decoder) string() string {
	u := d.uvarint()
	if u > uint64(len(d.b)-d.off) {
		d.fail("string of %d bytes exceeds the input", u)
	}
	if d.err != nil {
		return ""
	}
	s := d.str[d.off : d.off+int(u)]
	d.off += int(u)
	return s
}

func (d *decoder) float() float64 {
	u := d.uvarint()
	if d.err != nil {
		return 0
	}
	if u&1 == 0 {
		c := unzigzag(u >> 1)
		v := float64(c) / 100
		// Below 2^50 cents, c/100 is always written as c: its rounding error
		// times 100 stays far below half a cent. Above, check.
		if c > -1<<50 && c < 1<<50 {
			return v
		}
		if c2, ok := cents(v); !ok || c2 != c {
			d.fail("amount of %d cents", c)
			return 0
		}
		return v
	}
	if u != 1 || len(d.b)-d.off < 8 {
		d.fail("bad amount")
		return 0
	}
	v := math.Float64frombits(binary.LittleEndian.Uint64(d.b[d.off:]))
	d.off += 8
	if _, ok := cents(v); ok || math.IsNaN(v) || math.IsInf(v, 0) {
		d.fail("amount %v written in full", v)
		return 0
	}
	return v
}

var errCorrupt = errors.New("corrupt feature state")

func corrupt(format string, args ...any) error {
	return &opencredit.Error{Code: opencredit.EINVALID, Message: "features: " + strings.TrimSpace(fmt.Sprintf(format, args...)), Err: errCorrupt}
}
