package httpapi

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/api"
)

// The one input rule of every JSON body the API reads: the Content-Type is
// application/json (415 otherwise), no object repeats a key at any depth
// (encoding/json would keep the last value silently: a decision naming
// "subject" twice would score the second person), no unknown field, no data
// after the value, and the route's size limit. Events inside a batch are
// held to the same rule by eventjson.Decode.

// checkContentType refuses a body whose Content-Type is not
// application/json, optionally with charset=utf-8 (RFC 8259 §8.1: JSON is
// UTF-8).
func checkContentType(r *http.Request) error {
	media, err := mediaType(r, "application/json")
	if err != nil {
		return err
	}
	if media != "application/json" {
		return opencredit.Errorf(api.CodeUnsupportedMediaType, "Content-Type %s is not accepted: send the body as application/json", media)
	}
	return nil
}

// mediaType returns the media type of the request's Content-Type, refusing
// one that is missing, does not parse, or has a parameter other than
// charset=utf-8; want names what to send, for the message.
func mediaType(r *http.Request, want string) (string, error) {
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return "", opencredit.Errorf(api.CodeUnsupportedMediaType, "Content-Type is required: send the body as %s", want)
	}
	media, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return "", opencredit.Errorf(api.CodeUnsupportedMediaType, "Content-Type %q does not parse: %v", ct, err)
	}
	for k, v := range params {
		if k != "charset" || !strings.EqualFold(v, "utf-8") {
			return "", opencredit.Errorf(api.CodeUnsupportedMediaType, "Content-Type parameter %s=%s is not accepted: JSON is UTF-8", k, v)
		}
	}
	return media, nil
}

// readBody reads the whole body under the route's limit (authenticate set
// it) and checks it against the rule, before anything decodes it.
func readBody(r *http.Request) ([]byte, error) {
	if err := checkContentType(r); err != nil {
		return nil, err
	}
	return readJSON(r)
}

// readJSON is readBody once the Content-Type is checked: the whole body,
// not empty, no key repeated.
func readJSON(r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, bodyError(err)
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, bodyError(io.EOF)
	}
	if err := checkRepeatedKeys(b); err != nil {
		return nil, err
	}
	return b, nil
}

// frame is one open object or array while checkRepeatedKeys walks a value.
type frame struct {
	object bool
	keys   map[string]bool // object: the keys seen so far
	key    string          // object: the current key
	value  bool            // object: the next token is the current key's value
	index  int             // array: the current element
}

// checkRepeatedKeys walks the JSON value in b and refuses the first object
// that names a key twice, giving the key's path ($.events[2].subject).
func checkRepeatedKeys(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var stack []*frame
	values := 0 // top-level values read
	// done marks the end of a value: the element after it, or the next key.
	done := func() {
		if len(stack) == 0 {
			values++
			return
		}
		top := stack[len(stack)-1]
		if top.object {
			top.value = false
		} else {
			top.index++
		}
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF && len(stack) > 0 {
			err = io.ErrUnexpectedEOF
		}
		if err == io.EOF && values > 0 {
			return nil
		}
		if err != nil {
			return bodyError(err)
		}
		if values > 0 {
			return opencredit.Errorf(opencredit.EINVALID, "the body holds data after its JSON value")
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if top != nil && top.object && !top.value {
			switch k := tok.(type) {
			case string:
				if top.keys[k] {
					return opencredit.Errorf(opencredit.EINVALID, "the body repeats the key %s: each key may be given once", jsonPath(stack, k))
				}
				top.keys[k] = true
				top.key, top.value = k, true
				continue
			case json.Delim: // the object's end
				stack = stack[:len(stack)-1]
				done()
				continue
			}
		}
		switch d := tok.(type) {
		case json.Delim:
			switch d {
			case '{':
				stack = append(stack, &frame{object: true, keys: map[string]bool{}})
			case '[':
				stack = append(stack, &frame{})
			default: // an array's end
				stack = stack[:len(stack)-1]
				done()
			}
		default:
			done()
		}
	}
}

// jsonPath names key in the innermost object of stack, from the root:
// $.events[2].subject.
func jsonPath(stack []*frame, key string) string {
	var b strings.Builder
	b.WriteString("$")
	for i, f := range stack {
		switch {
		case !f.object:
			b.WriteString("[" + strconv.Itoa(f.index) + "]")
		case i < len(stack)-1:
			b.WriteString("." + f.key)
		default:
			b.WriteString("." + key)
		}
	}
	return b.String()
}
