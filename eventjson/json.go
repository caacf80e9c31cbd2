package eventjson

import (
	"fmt"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// This file holds a small strict JSON reader (RFC 8259). Decode reads each
// event in one pass with it instead of encoding/json because encoding/json
// matches object keys case-insensitively, keeps the last of duplicate keys,
// cannot tell extension attributes from misspelt ones, reports no path for
// most errors, and would need a second pass over the data: this reader is
// case-sensitive, sees every key, and knows where it is.
//
// It is stricter than RFC 8259 in two ways that encoding/json is not: a
// string must be valid UTF-8, and a \u escape must not be an unpaired
// surrogate. Everything it accepts encoding/json accepts too, with the same
// meaning; FuzzDecode checks that.

// maxDepth bounds the nesting of the values the reader skips (events are
// flat; deeper values only appear in invalid input).
const maxDepth = 1000

// reader reads JSON from buf at i. Offsets in messages count from the start
// of buf; where says what buf is ("" for an event, " of data" for the data
// of an envelope parsed elsewhere).
type reader struct {
	buf   []byte
	i     int
	where string
	bad   *Problem // the syntax error, once found; reading stops there
}

// syntax records a syntax error at byte offset at.
func (r *reader) syntax(at int, format string, args ...any) bool {
	if r.bad == nil {
		r.bad = &Problem{Reason: reasonInvalid, Message: fmt.Sprintf("malformed JSON at byte offset %d%s: ", at, r.where) + fmt.Sprintf(format, args...)}
	}
	return false
}

// unexpected records the error for the byte at r.i, which is not what was
// expected.
func (r *reader) unexpected(expecting string) bool {
	if r.i >= len(r.buf) {
		return r.syntax(r.i, "unexpected end of input, expecting %s", expecting)
	}
	return r.syntax(r.i, "invalid character %s, expecting %s", quoteByte(r.buf[r.i]), expecting)
}

func quoteByte(c byte) string {
	if c >= 0x20 && c < 0x7f {
		return strconv.QuoteRune(rune(c))
	}
	return fmt.Sprintf("byte 0x%02x", c)
}

// ws skips white space.
func (r *reader) ws() {
	for r.i < len(r.buf) {
		switch r.buf[r.i] {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return
		}
	}
}

// peek returns the next byte after white space, or 0 at the end.
func (r *reader) peek() byte {
	r.ws()
	if r.i >= len(r.buf) {
		return 0
	}
	return r.buf[r.i]
}

// expect consumes c after white space.
func (r *reader) expect(c byte, expecting string) bool {
	if r.peek() != c {
		return r.unexpected(expecting)
	}
	r.i++
	return true
}

// str reads a string at r.i (the opening quote) and returns its contents,
// unescaped; escaped reports whether it held escapes, in which case s is a
// new slice, and otherwise a slice of buf.
func (r *reader) str() (s []byte, escaped bool, ok bool) {
	i := r.i + 1
	from := i
	var out []byte
	for {
		if i >= len(r.buf) {
			return nil, false, r.syntax(i, "unexpected end of input in a string")
		}
		c := r.buf[i]
		switch {
		case c == '"':
			r.i = i + 1
			if !escaped {
				return r.buf[from:i], false, true
			}
			return append(out, r.buf[from:i]...), true, true
		case c == '\\':
			if !escaped {
				escaped = true
				out = make([]byte, 0, i-from+16)
			}
			out = append(out, r.buf[from:i]...)
			n, ok := r.escape(i, &out)
			if !ok {
				return nil, false, false
			}
			i += n
			from = i
		case c < 0x20:
			return nil, false, r.syntax(i, "control character U+%04X in a string; write it as an escape", c)
		case c < utf8.RuneSelf:
			i++
		default:
			rn, n := utf8.DecodeRune(r.buf[i:])
			if rn == utf8.RuneError && n == 1 {
				return nil, false, r.syntax(i, "invalid UTF-8 in a string")
			}
			i += n
		}
	}
}

// escape decodes the escape sequence at buf[i] (a backslash) onto out and
// returns its length.
func (r *reader) escape(i int, out *[]byte) (int, bool) {
	if i+1 >= len(r.buf) {
		return 0, r.syntax(i+1, "unexpected end of input in a string")
	}
	switch c := r.buf[i+1]; c {
	case '"', '\\', '/':
		*out = append(*out, c)
	case 'b':
		*out = append(*out, '\b')
	case 'f':
		*out = append(*out, '\f')
	case 'n':
		*out = append(*out, '\n')
	case 'r':
		*out = append(*out, '\r')
	case 't':
		*out = append(*out, '\t')
	case 'u':
		rn, ok := r.hex4(i + 2)
		if !ok {
			return 0, false
		}
		switch {
		case utf16.IsSurrogate(rn) && rn < 0xdc00:
			lo := rune(-1)
			if i+7 < len(r.buf) && r.buf[i+6] == '\\' && r.buf[i+7] == 'u' {
				if lo, ok = r.hex4(i + 8); !ok {
					return 0, false
				}
			}
			if lo < 0xdc00 || lo > 0xdfff {
				return 0, r.syntax(i, `\u%04x is a high surrogate without its low surrogate`, rn)
			}
			*out = utf8.AppendRune(*out, utf16.DecodeRune(rn, lo))
			return 12, true
		case utf16.IsSurrogate(rn):
			return 0, r.syntax(i, `\u%04x is a low surrogate without its high surrogate`, rn)
		}
		*out = utf8.AppendRune(*out, rn)
		return 6, true
	default:
		return 0, r.syntax(i, `invalid escape \%c in a string`, c)
	}
	return 2, true
}

// hex4 reads four hexadecimal digits at buf[i].
func (r *reader) hex4(i int) (rune, bool) {
	var v rune
	for j := i; j < i+4; j++ {
		if j >= len(r.buf) {
			return 0, r.syntax(j, `unexpected end of input in a \u escape`)
		}
		c := r.buf[j]
		switch {
		case '0' <= c && c <= '9':
			v = v<<4 | rune(c-'0')
		case 'a' <= c && c <= 'f':
			v = v<<4 | rune(c-'a'+10)
		case 'A' <= c && c <= 'F':
			v = v<<4 | rune(c-'A'+10)
		default:
			return 0, r.syntax(j, `invalid character %s in a \u escape`, quoteByte(c))
		}
	}
	return v, true
}

// num reads a number at r.i and returns its literal.
func (r *reader) num() ([]byte, bool) {
	b, i := r.buf, r.i
	digits := func() bool {
		j := i
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
		return i > j
	}
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case !digits():
		r.i = i
		return nil, r.unexpected("a digit")
	}
	if i < len(b) && b[i] == '.' {
		i++
		if !digits() {
			r.i = i
			return nil, r.unexpected("a digit after the decimal point")
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if !digits() {
			r.i = i
			return nil, r.unexpected("a digit in the exponent")
		}
	}
	lit := b[r.i:i]
	r.i = i
	return lit, true
}

// literal reads true, false or null at r.i.
func (r *reader) literal() bool {
	for _, w := range [...]string{"true", "false", "null"} {
		if w[0] == r.buf[r.i] {
			for j := 1; j < len(w); j++ {
				if r.i+j >= len(r.buf) || r.buf[r.i+j] != w[j] {
					r.i += j
					return r.unexpected(fmt.Sprintf("%q", w))
				}
			}
			r.i += len(w)
			return true
		}
	}
	return r.unexpected("a value")
}

// skip reads and checks any value at r.i (after white space), discarding it.
func (r *reader) skip(depth int) bool {
	switch r.peek() {
	case '{':
		if depth >= maxDepth {
			return r.syntax(r.i, "values nested more than %d deep", maxDepth)
		}
		r.i++
		if r.peek() == '}' {
			r.i++
			return true
		}
		for {
			if r.peek() != '"' {
				return r.unexpected("a string naming an object member")
			}
			if _, _, ok := r.str(); !ok {
				return false
			}
			if !r.expect(':', "':' after an object key") || !r.skip(depth+1) {
				return false
			}
			switch r.peek() {
			case ',':
				r.i++
			case '}':
				r.i++
				return true
			default:
				return r.unexpected("',' or '}' after an object member")
			}
		}
	case '[':
		if depth >= maxDepth {
			return r.syntax(r.i, "values nested more than %d deep", maxDepth)
		}
		r.i++
		if r.peek() == ']' {
			r.i++
			return true
		}
		for {
			if !r.skip(depth + 1) {
				return false
			}
			switch r.peek() {
			case ',':
				r.i++
			case ']':
				r.i++
				return true
			default:
				return r.unexpected("',' or ']' after an array element")
			}
		}
	case '"':
		_, _, ok := r.str()
		return ok
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		_, ok := r.num()
		return ok
	case 't', 'f', 'n':
		return r.literal()
	}
	return r.unexpected("a value")
}

// members reads the object at r.i, calling member for each key with r.i at
// its value; member must read the value.
func (r *reader) members(member func(key []byte) bool) bool {
	if !r.expect('{', "'{'") {
		return false
	}
	if r.peek() == '}' {
		r.i++
		return true
	}
	for {
		if r.peek() != '"' {
			return r.unexpected("a string naming an object member")
		}
		key, _, ok := r.str()
		if !ok || !r.expect(':', "':' after an object key") {
			return false
		}
		r.ws()
		if !member(key) {
			return false
		}
		switch r.peek() {
		case ',':
			r.i++
		case '}':
			r.i++
			return true
		default:
			return r.unexpected("',' or '}' after an object member")
		}
	}
}

// end checks that only white space follows.
func (r *reader) end() bool {
	// Not peek() != 0: peek gives 0 at the end and for a NUL byte alike.
	if r.ws(); r.i < len(r.buf) {
		return r.syntax(r.i, "invalid character %s after the end of the top-level value", quoteByte(r.buf[r.i]))
	}
	return true
}

// jsonKind names the JSON type of the value starting with c, for messages.
func jsonKind(c byte) string {
	switch c {
	case '"':
		return "a string"
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}
