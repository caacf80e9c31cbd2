package eventjson

import (
	"encoding/json"
	"fmt"
	"mime"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/opencredit/opencredit"
)

// This file reads the two shapes of the CloudEvents HTTP protocol binding
// (cloudevents/spec, bindings/http-protocol-binding.md, version 1.0.2) that
// are not one event in the JSON format: the JSON batch format of batched
// mode (json-format.md §4, a JSON array of events), and binary mode, where
// the attributes travel as ce- headers and the body is the event's data.
// Both end in Decode, so that an event is held to one set of rules however
// it came.

// SplitBatch splits a body in the JSON batch format into its events, each
// to be read with Decode, in order; the slices point into body. An empty
// array is a valid batch (§3.3.2: "The batch MAY be empty"). A body that is
// not one JSON array of objects is a problem naming the element and the
// byte offset.
func SplitBatch(body []byte) ([][]byte, *Problem) {
	r := reader{buf: body}
	if c := r.peek(); c != '[' {
		if !r.skip(0) || !r.end() {
			return nil, r.bad
		}
		return nil, &Problem{Reason: reasonInvalid, Message: "a batch of events must be a JSON array, not " + jsonKind(c)}
	}
	r.i++
	var out [][]byte
	if r.peek() == ']' {
		r.i++
		if !r.end() {
			return nil, r.bad
		}
		return [][]byte{}, nil
	}
	for {
		c := r.peek()
		if c != '{' {
			if c == 0 {
				r.unexpected("an event")
				return nil, r.bad
			}
			return nil, &Problem{Reason: reasonInvalid, Path: fmt.Sprintf("[%d]", len(out)),
				Message: "an event must be a JSON object, not " + jsonKind(c)}
		}
		start := r.i
		if !r.skip(1) {
			return nil, r.bad
		}
		out = append(out, body[start:r.i])
		switch r.peek() {
		case ',':
			r.i++
		case ']':
			r.i++
			if !r.end() {
				return nil, r.bad
			}
			return out, nil
		default:
			r.unexpected("',' or ']' after an event")
			return nil, r.bad
		}
	}
}

// headerPrefix starts the name of every header that carries an attribute
// in binary mode (§3.1.3.1), compared without regard to case.
const headerPrefix = "ce-"

// DecodeBinary reads an event sent in binary mode: each attribute in a ce-
// header (ce-specversion, ce-id, ce-source, ce-type, ce-subject, ce-time,
// and extensions), the data as body, and the Content-Type header as its
// datacontenttype (§3.1.1), which must be application/json (with charset
// utf-8 or none). header is an http.Header or any map of header names, in
// any case, to their values.
//
// A header value is unquoted if it is a quoted-string and percent-decoded
// once (§3.1.3.2); a decoded value that is not UTF-8 is refused, as is a
// header given twice, a ce-datacontenttype header (the spec forbids it
// beside Content-Type) and a ce-data header. The event is then checked by
// Decode, and a problem names the header it came from (ce-time) or the
// body's field (data.amount).
func DecodeBinary(header map[string][]string, body []byte, now time.Time) (opencredit.Event, any, *Problem) {
	if len(body) > opencredit.MaxEventBytes {
		return opencredit.Event{}, nil, &Problem{Reason: opencredit.ReasonTooLarge, Path: "data",
			Message: fmt.Sprintf("the body is %d bytes; an event's data may have at most %d", len(body), opencredit.MaxEventBytes)}
	}
	attrs := map[string]string{}
	var contentType []string
	for name, values := range header {
		lower := strings.ToLower(name)
		if lower == "content-type" {
			contentType = append(contentType, values...)
			continue
		}
		attr, ok := strings.CutPrefix(lower, headerPrefix)
		if !ok {
			continue
		}
		path := headerPrefix + attr
		switch {
		case attr == "datacontenttype":
			return opencredit.Event{}, nil, binaryProblem(path, "must not be sent in binary mode: the Content-Type header is the data's content type")
		case attr == "data":
			return opencredit.Event{}, nil, binaryProblem(path, "is not an attribute in binary mode: the data is the body")
		case !extensionName([]byte(attr)):
			return opencredit.Event{}, nil, binaryProblem(path, "does not name an attribute: after ce-, a name is lower-case letters a–z and digits only")
		}
		if _, seen := attrs[attr]; seen || len(values) != 1 {
			return opencredit.Event{}, nil, &Problem{Reason: reasonInvalid, Path: path, Message: "given twice"}
		}
		v, msg := headerValue(values[0])
		if msg != "" {
			return opencredit.Event{}, nil, binaryProblem(path, msg)
		}
		attrs[attr] = v
	}
	if len(contentType) != 1 {
		msg := "is required in binary mode: the data's content type, application/json"
		if len(contentType) > 1 {
			msg = "given twice"
		}
		return opencredit.Event{}, nil, binaryProblem("Content-Type", msg)
	}
	if msg := jsonMediaType(contentType[0]); msg != "" {
		return opencredit.Event{}, nil, binaryProblem("Content-Type", msg)
	}
	// The body must be one JSON value before it is set into an envelope:
	// anything after it would otherwise become attributes of the event.
	br := reader{buf: body, where: " of the body"}
	if br.ws(); br.i == len(body) {
		return opencredit.Event{}, nil, binaryProblem("data", "required: the body is empty")
	}
	if !br.skip(0) || !br.end() {
		br.bad.Path = "data"
		return opencredit.Event{}, nil, br.bad
	}

	// The envelope in the JSON format, type before data so that Decode
	// reads the data in the same pass; extensions in name order.
	names := make([]string, 0, len(attrs))
	for n := range attrs {
		names = append(names, n)
	}
	slices.Sort(names)
	buf := make([]byte, 0, len(body)+256)
	buf = append(buf, '{')
	for _, n := range names {
		k, _ := json.Marshal(n)
		v, _ := json.Marshal(attrs[n]) // valid UTF-8 by now: encodes as it is
		buf = append(append(append(append(buf, k...), ':'), v...), ',')
	}
	buf = append(buf, `"datacontenttype":"application/json","data":`...)
	buf = append(append(buf, body...), '}')
	e, p, prob := Decode(buf, now)
	if prob != nil {
		prob = binaryPath(prob, attrs)
		e.Data = nil
	}
	return e, p, prob
}

func binaryProblem(path, msg string) *Problem {
	return &Problem{Reason: reasonInvalid, Path: path, Message: msg}
}

// binaryPath renames an attribute's path to its header (time → ce-time),
// leaving the data's own paths (data.amount) as they are.
func binaryPath(p *Problem, attrs map[string]string) *Problem {
	q := *p
	switch {
	case q.Path == "datacontenttype":
		q.Path = "Content-Type"
	case q.Path == "data" || strings.HasPrefix(q.Path, "data.") || strings.HasPrefix(q.Path, "data["):
	case q.Path != "":
		q.Path = headerPrefix + q.Path
		if _, given := attrs[p.Path]; !given && q.Message == "required" {
			q.Message = "required: the header is missing"
		}
	}
	return &q
}

// headerValue decodes one ce- header value: white space around it trimmed,
// a quoted-string unquoted (RFC 9110 §5.6.4), then one round of
// percent-decoding, whose result must be UTF-8 (§3.1.3.2: "%C0%A0" is
// refused).
func headerValue(v string) (string, string) {
	v = strings.Trim(v, " \t")
	if strings.HasPrefix(v, `"`) {
		var b strings.Builder
		closed := false
		for i := 1; i < len(v); i++ {
			c := v[i]
			if c == '\\' && i+1 < len(v) {
				i++
				b.WriteByte(v[i])
				continue
			}
			if c == '"' {
				if i != len(v)-1 {
					return "", "holds data after its quoted string"
				}
				closed = true
				break
			}
			b.WriteByte(c)
		}
		if !closed {
			return "", "holds a quoted string without its closing quote"
		}
		v = b.String()
	}
	if strings.IndexByte(v, '%') >= 0 {
		out := make([]byte, 0, len(v))
		for i := 0; i < len(v); i++ {
			if v[i] != '%' {
				out = append(out, v[i])
				continue
			}
			if i+2 >= len(v) || unhex(v[i+1]) < 0 || unhex(v[i+2]) < 0 {
				return "", fmt.Sprintf("holds %q, which is not a percent-encoded byte (%%XY, two hexadecimal digits)", v[i:min(i+3, len(v))])
			}
			out = append(out, byte(unhex(v[i+1])<<4|unhex(v[i+2])))
			i += 2
		}
		v = string(out)
	}
	if !utf8.ValidString(v) {
		return "", "decodes to bytes that are not UTF-8"
	}
	return v, ""
}

func unhex(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// jsonMediaType checks that a Content-Type is application/json, with at
// most a charset of utf-8 (RFC 8259 §8.1), and says what is wrong if not.
func jsonMediaType(ct string) string {
	media, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return fmt.Sprintf("%q does not parse: %v", ct, err)
	}
	if media != opencredit.DataContentType {
		return fmt.Sprintf("%s is not accepted: an event's data is application/json", media)
	}
	for k, v := range params {
		if k != "charset" || !strings.EqualFold(v, "utf-8") {
			return fmt.Sprintf("parameter %s=%s is not accepted: JSON is UTF-8", k, v)
		}
	}
	return ""
}
