package pmml

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// arrayContent returns the content of a PMML string Array holding values, XML
// escaped and ready to write verbatim between <Array> and </Array>.
//
// PMML 4.4 (General Structure, "Array") separates the values by whitespace,
// encloses a value that holds whitespace in double quotes and escapes a double
// quote inside a quoted value as \". Every value here is quoted, so that an
// empty value and one with spaces need no special case. A backslash that is
// not followed by a double quote stays as it is; that is how JPMML reads an
// Array, and it leaves one value that cannot be written: one ending in a
// backslash, whose closing quote would read as escaped. checkArrayValue
// refuses it.
func arrayContent(values []string) string {
	var b strings.Builder
	for i, v := range values {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteByte('"')
		b.WriteString(escapeText(strings.ReplaceAll(v, `"`, `\"`)))
		b.WriteByte('"')
	}
	return b.String()
}

// escapeText escapes s for XML character data. Unlike xml.EscapeText it
// leaves double quotes alone, which are legal in character data. It writes
// tab, line feed and carriage return as character references so that no XML
// parser normalises them away (a bare CR would come back as LF).
func escapeText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '\t':
			b.WriteString("&#x9;")
		case '\n':
			b.WriteString("&#xA;")
		case '\r':
			b.WriteString("&#xD;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// checkArrayValue says why v cannot go into a PMML string Array, or "" if it can.
func checkArrayValue(v string) string {
	if why := checkXMLText(v); why != "" {
		return why
	}
	if strings.HasSuffix(v, `\`) {
		return "it ends in a backslash, which PMML array quoting cannot express"
	}
	return ""
}

// checkXMLText says why s cannot be written into an XML 1.0 document, or "" if
// it can. encoding/xml would silently replace such characters with U+FFFD,
// and a category or field name that changes on export no longer matches the
// data it is scored on.
func checkXMLText(s string) string {
	if !utf8.ValidString(s) {
		return "it is not valid UTF-8"
	}
	for _, r := range s {
		if !isXMLChar(r) {
			return fmt.Sprintf("it holds the character %U, which XML 1.0 does not allow", r)
		}
	}
	return ""
}

// isXMLChar reports whether r is a Char of XML 1.0 (Fifth Edition), production [2].
func isXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}
