package eventjson

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/opencredit/opencredit"
)

// The envelope's attributes, in the order they are checked.
const (
	aSpecVersion = iota
	aID
	aSource
	aType
	aSubject
	aTime
	aDataContentType
	aData
	nAttrs
)

var attrNames = [nAttrs]string{"specversion", "id", "source", "type", "subject", "time", "datacontenttype", "data"}

var epoch = time.Unix(0, 0)

// attr is an envelope attribute as read.
type attr struct {
	kind       byte   // the first byte of its value ('"', '{', ...), 0 when absent
	s          []byte // a string's contents
	escaped    bool   // the string held escapes
	start, end int    // the value's span
}

// decoding is the state of one Decode.
type decoding struct {
	r       reader
	ps      problems
	ext     *Problem // the first problem of an extension attribute
	attrs   [nAttrs]attr
	sp      *spec // the type's payload, once the type is read
	payload any
	decoded bool // the data was decoded where it stood
	exts    map[string]bool
}

// Decode parses one encoded event (the CloudEvents JSON format), checks its
// envelope and its type's payload as docs/events.md describes, and returns the event
// and its payload: a pointer to the payload struct of its type, such as
// *opencredit.PaymentMissed. now is the moment of ingestion; a time more
// than ClockSkew after it is a future_time problem.
//
// On failure the payload is nil and, unless the JSON is malformed, the
// event holds the envelope attributes that passed their checks (for logging
// which event was refused), without its data. The event's Data is a copy: data may be reused afterwards.
func Decode(data []byte, now time.Time) (opencredit.Event, any, *Problem) {
	if len(data) > opencredit.MaxEventBytes {
		return opencredit.Event{}, nil, &Problem{Reason: opencredit.ReasonTooLarge,
			Message: fmt.Sprintf("the event is %d bytes; at most %d are accepted", len(data), opencredit.MaxEventBytes)}
	}
	d := &decoding{r: reader{buf: data}}
	if c := d.r.peek(); c != '{' {
		if !d.r.skip(0) || !d.r.end() {
			return opencredit.Event{}, nil, d.r.bad
		}
		return opencredit.Event{}, nil, &Problem{Reason: reasonInvalid, Message: "an event must be a JSON object, not " + jsonKind(c)}
	}
	if !d.r.members(d.member) || !d.r.end() {
		return opencredit.Event{}, nil, d.r.bad
	}
	return d.finish(now)
}

// member reads one member of the envelope, r.i at its value.
func (d *decoding) member(key []byte) bool {
	r := &d.r
	if r.i >= len(r.buf) {
		return r.unexpected("a value")
	}
	var a int
	switch string(key) {
	case "specversion":
		a = aSpecVersion
	case "id":
		a = aID
	case "source":
		a = aSource
	case "type":
		a = aType
	case "subject":
		a = aSubject
	case "time":
		a = aTime
	case "datacontenttype":
		a = aDataContentType
	case "data":
		a = aData
	default:
		return d.extension(key)
	}
	at0 := &d.attrs[a]
	first := at0.kind == 0
	if !first {
		d.ps.invalid(levelDuplicate, attrNames[a], "given twice")
	}
	c, start := r.buf[r.i], r.i
	switch {
	case c == '"':
		s, esc, ok := r.str()
		if !ok {
			return false
		}
		if first {
			at0.s, at0.escaped = s, esc
		}
		if a == aType && first {
			d.sp = specByType[string(s)]
		}
	case c == '{' && a == aData && d.sp != nil && first:
		// The type came first, as it does from encoding/json and most
		// producers: decode the data where it stands, in the same pass.
		p, ok := decodePayload(r, d.sp, &d.ps)
		if !ok {
			return false
		}
		d.payload, d.decoded = p, true
	default:
		if !r.skip(0) {
			return false
		}
	}
	if first {
		at0.kind, at0.start, at0.end = c, start, r.i
	}
	return true
}

// extension reads an attribute that is not one of the envelope's: an
// extension attribute, which CloudEvents allows and which is ignored.
func (d *decoding) extension(key []byte) bool {
	r := &d.r
	c := r.buf[r.i]
	if !r.skip(0) {
		return false
	}
	var msg string
	switch {
	case string(key) == "data_base64":
		msg = "binary data is not accepted; send data as a JSON object"
	case !extensionName(key):
		msg = "is not an attribute of an event, and not a valid extension attribute name (lower-case letters a–z and digits only)"
		if lower := strings.ToLower(string(key)); lower != string(key) && isAttr(lower) {
			msg += fmt.Sprintf("; did you mean %q?", lower)
		}
	case c == '{' || c == '[':
		msg = "an extension attribute must be a string, a number, a boolean or null, not " + jsonKind(c)
	}
	if msg != "" {
		if d.ext == nil {
			d.ext = &Problem{Reason: reasonInvalid, Path: keyPath("", key), Message: msg}
		}
		return true
	}
	if d.exts == nil {
		d.exts = make(map[string]bool)
	}
	if d.exts[string(key)] {
		d.ps.invalid(levelDuplicate, string(key), "given twice")
	}
	d.exts[string(key)] = true
	return true
}

// extensionName reports whether a name is a valid CloudEvents attribute name.
func extensionName(key []byte) bool {
	for _, c := range key {
		if !('a' <= c && c <= 'z' || isDigit(c)) {
			return false
		}
	}
	return len(key) > 0
}

func isAttr(name string) bool {
	for _, n := range attrNames {
		if n == name {
			return true
		}
	}
	return false
}

// finish checks the envelope once read and returns the outcome.
func (d *decoding) finish(now time.Time) (opencredit.Event, any, *Problem) {
	var e opencredit.Event
	ps := &d.ps
	// isString reports whether attribute a is a string, noting the problem
	// when it is absent (and required) or not a string.
	isString := func(a int, required bool) bool {
		switch d.attrs[a].kind {
		case '"':
			return true
		case 0:
			if required {
				ps.invalid(levelEnvelope, attrNames[a], "required")
			}
			return false
		}
		ps.invalid(levelEnvelope, attrNames[a], "must be a string, not "+jsonKind(d.attrs[a].kind))
		return false
	}
	if isString(aSpecVersion, true) {
		if v := d.attrs[aSpecVersion].s; string(v) != opencredit.SpecVersion {
			ps.invalid(levelEnvelope, "specversion", checkAttr(aSpecVersion, string(v)))
		} else {
			e.SpecVersion = opencredit.SpecVersion
		}
	}
	for _, a := range [...]int{aID, aSource, aType, aSubject} {
		if !isString(a, true) {
			continue
		}
		if a == aType && d.sp != nil {
			e.Type = d.sp.typ // a known type is valid, and needs no new string
			continue
		}
		s := string(d.attrs[a].s)
		if msg := checkAttr(a, s); msg != "" {
			ps.invalid(levelEnvelope, attrNames[a], msg)
			continue
		}
		switch a {
		case aID:
			e.ID = s
		case aSource:
			e.Source = s
		case aType:
			e.Type = s
		case aSubject:
			e.Subject = s
		}
	}
	if isString(aTime, true) {
		at := &d.attrs[aTime]
		if t, msg := parseTime(at.s, at.escaped); msg != "" {
			ps.invalid(levelEnvelope, "time", msg)
		} else if msg := checkTime(t); msg != "" {
			ps.invalid(levelEnvelope, "time", msg)
		} else {
			e.Time = t
		}
	}
	if isString(aDataContentType, false) {
		if v := d.attrs[aDataContentType].s; string(v) != opencredit.DataContentType {
			ps.invalid(levelEnvelope, "datacontenttype", checkAttr(aDataContentType, string(v)))
		} else {
			e.DataContentType = opencredit.DataContentType
		}
	}
	data := &d.attrs[aData]
	switch data.kind {
	case 0:
		ps.invalid(levelEnvelope, "data", "required")
	case '{':
	default:
		ps.invalid(levelEnvelope, "data", "must be a JSON object, not "+jsonKind(data.kind))
	}
	if d.ext != nil && ps[levelEnvelope] == nil {
		ps[levelEnvelope] = d.ext
	}
	if e.Type != "" && d.sp == nil {
		ps.add(levelType, opencredit.ReasonUnknownType, "type", unknownType(e.Type))
	}
	if d.sp != nil && data.kind == '{' && !d.decoded {
		// The data came before the type: read it again, now that its
		// type is known.
		r := reader{buf: d.r.buf[:data.end], i: data.start}
		d.payload, _ = decodePayload(&r, d.sp, ps)
	}
	if !e.Time.IsZero() {
		if msg := checkFuture(e.Time, now); msg != "" {
			ps.add(levelFuture, opencredit.ReasonFutureTime, "time", msg)
		}
	}
	if p := ps.first(); p != nil {
		return e, nil, p
	}
	e.Data = bytes.Clone(d.r.buf[data.start:data.end])
	return e, d.payload, nil
}

// checkAttr checks the string value of envelope attribute a.
func checkAttr(a int, s string) string {
	switch a {
	case aSpecVersion:
		if s != opencredit.SpecVersion {
			return `must be "1.0" (CloudEvents 1.0), not ` + quote(s)
		}
	case aDataContentType:
		if s != opencredit.DataContentType {
			return `must be "application/json" or absent, not ` + quote(s)
		}
	default:
		return checkString(s, MaxTextBytes, true)
	}
	return ""
}

// checkTime checks an event's time, apart from the clock.
func checkTime(t time.Time) string {
	if _, off := t.Zone(); off <= -24*3600 || off >= 24*3600 {
		return timeFormat + "; its offset from UTC must be less than 24 hours"
	}
	if t.Before(epoch) {
		return "must not be before 1970-01-01T00:00:00Z"
	}
	return ""
}

// checkFuture checks an event's time against the moment of ingestion.
func checkFuture(t, now time.Time) string {
	if d := t.Sub(now); d > ClockSkew {
		return fmt.Sprintf("is %v after the moment of ingestion (%s); at most %v of clock skew is allowed",
			d.Round(time.Second), now.UTC().Format(time.RFC3339), ClockSkew)
	}
	return ""
}

func unknownType(t string) string {
	return fmt.Sprintf("%s is not one of the %d OpenCredit event types; see the README", quote(t), len(specs))
}

// Validate checks an envelope that was parsed already, such as one event of
// an HTTP batch, the same way as Decode, and returns its payload. An
// attribute that is the empty string (or, for the time, the zero time) is
// taken as absent; unknown attributes and duplicates cannot be seen here.
func Validate(e *opencredit.Event, now time.Time) (any, *Problem) {
	if len(e.Data) > opencredit.MaxEventBytes {
		return nil, &Problem{Reason: opencredit.ReasonTooLarge, Path: "data",
			Message: fmt.Sprintf("the data is %d bytes; an event may have at most %d", len(e.Data), opencredit.MaxEventBytes)}
	}
	var ps problems
	for a, s := range [...]string{e.SpecVersion, e.ID, e.Source, e.Type, e.Subject} {
		if s == "" {
			ps.invalid(levelEnvelope, attrNames[a], "required")
		} else if msg := checkAttr(a, s); msg != "" {
			ps.invalid(levelEnvelope, attrNames[a], msg)
		}
	}
	if e.Time.IsZero() {
		ps.invalid(levelEnvelope, "time", "required")
	} else if msg := checkTime(e.Time); msg != "" {
		ps.invalid(levelEnvelope, "time", msg)
	}
	if e.DataContentType != "" {
		if msg := checkAttr(aDataContentType, e.DataContentType); msg != "" {
			ps.invalid(levelEnvelope, "datacontenttype", msg)
		}
	}
	r := reader{buf: e.Data, where: " of data"}
	switch c := r.peek(); c {
	case 0:
		ps.invalid(levelEnvelope, "data", "required")
	case '{':
	default:
		ps.invalid(levelEnvelope, "data", "must be a JSON object, not "+jsonKind(c))
	}
	sp := specByType[e.Type]
	if sp == nil && e.Type != "" {
		ps.add(levelType, opencredit.ReasonUnknownType, "type", unknownType(e.Type))
	}
	var p any
	if sp != nil && r.peek() == '{' {
		var ok bool
		if p, ok = decodePayload(&r, sp, &ps); !ok || !r.end() {
			r.bad.Path = "data"
			ps[levelSyntax] = r.bad
		}
	}
	if !e.Time.IsZero() {
		if msg := checkFuture(e.Time, now); msg != "" {
			ps.add(levelFuture, opencredit.ReasonFutureTime, "time", msg)
		}
	}
	if prob := ps.first(); prob != nil {
		return nil, prob
	}
	return p, nil
}

// Payload decodes the data of an event that was accepted before, such as a
// stored one, by its type: the same checks as Decode's, without those of the
// envelope and the clock. The error is a *Problem.
func Payload(e opencredit.Event) (any, error) {
	sp := specByType[e.Type]
	if sp == nil {
		return nil, &Problem{Reason: opencredit.ReasonUnknownType, Path: "type", Message: unknownType(e.Type)}
	}
	var ps problems
	r := reader{buf: e.Data, where: " of data"}
	if c := r.peek(); c != '{' {
		if c == 0 {
			return nil, &Problem{Reason: reasonInvalid, Path: "data", Message: "required"}
		}
		return nil, &Problem{Reason: reasonInvalid, Path: "data", Message: "must be a JSON object, not " + jsonKind(c)}
	}
	p, ok := decodePayload(&r, sp, &ps)
	if !ok || !r.end() {
		r.bad.Path = "data"
		return nil, r.bad
	}
	if prob := ps.first(); prob != nil {
		return nil, prob
	}
	return p, nil
}

// keyPath returns the path of member key under prefix: prefix.key for a
// plain name, prefix["key"] otherwise (cut to 64 bytes).
func keyPath(prefix string, key []byte) string {
	plain := len(key) > 0 && len(key) <= 64
	for _, c := range key {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || isDigit(c) || c == '_') {
			plain = false
			break
		}
	}
	switch {
	case !plain:
		return prefix + "[" + quote(string(key)) + "]"
	case prefix == "":
		return string(key)
	}
	return prefix + "." + string(key)
}
