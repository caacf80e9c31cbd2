package eventjson

import "strings"

// decodePayload reads the data object at r.i as the payload of sp, noting
// its problems in ps. It returns the payload, nil when it has a problem, and
// false on a syntax error (r.bad).
func decodePayload(r *reader, sp *spec, ps *problems) (any, bool) {
	var v values
	var seen uint32
	bad := false
	ok := r.members(func(key []byte) bool {
		i := sp.index(key)
		if i < 0 {
			ps.invalid(levelPayload, keyPath("data", key), "unknown field; the data of "+sp.typ+" has "+sp.names())
			bad = true
			return r.skip(1)
		}
		f := &sp.fields[i]
		if seen&(1<<i) != 0 {
			ps.invalid(levelDuplicate, f.path, "given twice")
			bad = true
			return r.skip(1)
		}
		seen |= 1 << i
		msg, ok := readField(r, f, &v[i])
		if msg != "" {
			ps.invalid(levelPayload, f.path, msg)
			bad = true
		}
		return ok
	})
	if !ok {
		return nil, false
	}
	if bad {
		return nil, true
	}
	for i := range sp.fields {
		if f := &sp.fields[i]; !f.optional && seen&(1<<i) == 0 {
			ps.invalid(levelPayload, f.path, "required")
			return nil, true
		}
	}
	if sp.check != nil {
		if i, msg := sp.check(v); i >= 0 {
			ps.invalid(levelPayload, sp.fields[i].path, msg)
			return nil, true
		}
	}
	return sp.build(v), true
}

// index returns the index of the field named key, or -1.
func (sp *spec) index(key []byte) int {
	for i := range sp.fields {
		if string(key) == sp.fields[i].name {
			return i
		}
	}
	return -1
}

// names lists the fields' names, for messages.
func (sp *spec) names() string {
	var b strings.Builder
	for i, f := range sp.fields {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(f.name)
	}
	return b.String()
}

// readField reads the value of field f at r.i into v and checks it. It
// returns what is wrong with the value, and false on a syntax error.
func readField(r *reader, f *field, v *value) (string, bool) {
	if r.i >= len(r.buf) {
		return "", r.unexpected("a value")
	}
	c := r.buf[r.i]
	var msg string
	switch f.kind {
	case kindAmount, kindPositive, kindInt:
		if c != '-' && !isDigit(c) {
			if !r.skip(1) {
				return "", false
			}
			if f.kind == kindInt {
				return "must be an integer, not " + jsonKind(c), true
			}
			return "must be a number, not " + jsonKind(c), true
		}
		lit, ok := r.num()
		if !ok {
			return "", false
		}
		if f.kind == kindInt {
			v.n, msg = parseInt(lit, f.min, f.max)
		} else {
			v.f, msg = parseAmount(lit, f.kind == kindPositive)
		}
	default:
		if c != '"' {
			if !r.skip(1) {
				return "", false
			}
			return "must be a string, not " + jsonKind(c), true
		}
		s, escaped, ok := r.str()
		if !ok {
			return "", false
		}
		switch f.kind {
		case kindID:
			v.s = string(s)
			msg = checkString(v.s, MaxIDBytes, true)
		case kindText:
			v.s = string(s)
			msg = checkString(v.s, MaxTextBytes, false)
		case kindEnum:
			v.s, msg = checkEnum(s, f.enum)
		case kindCurrency:
			v.s = currencyString(s)
			msg = checkCurrency(v.s)
		case kindDate:
			v.s = string(s)
			msg = checkDate(v.s)
		case kindTime:
			v.t, msg = parseTime(s, escaped)
		}
	}
	v.set = msg == ""
	return msg, true
}

// currencyString returns a currency code as a string, without allocating
// for the most common ones.
func currencyString(s []byte) string {
	for _, c := range [...]string{"EUR", "USD", "GBP", "CHF", "CNY", "JPY"} {
		if string(s) == c {
			return c
		}
	}
	return string(s)
}
