package eventjson

import (
	"embed"
	"io/fs"
)

// The schema files are written by TestSchemaFiles from the rules in
// rules.go (go test ./event/ -run TestSchemaFiles -update), so that the
// published schemas and the validation cannot drift apart.
//
//go:embed schema/*.json
var schemaFiles embed.FS

// EnvelopeSchemaFile is the name of the envelope's schema among SchemaFS's
// files; it refers to each type's data schema by file name.
const EnvelopeSchemaFile = "envelope.json"

// Schema returns the JSON Schema (draft 2020-12) of an event type's data.
func Schema(eventType string) ([]byte, bool) {
	sp := specByType[eventType]
	if sp == nil {
		return nil, false
	}
	b, err := schemaFiles.ReadFile("schema/" + sp.file)
	if err != nil {
		panic("event: schema file missing: " + sp.file)
	}
	return b, true
}

// EnvelopeSchema returns the JSON Schema (draft 2020-12) of a whole event.
func EnvelopeSchema() []byte {
	b, err := schemaFiles.ReadFile("schema/" + EnvelopeSchemaFile)
	if err != nil {
		panic("event: schema file missing: " + EnvelopeSchemaFile)
	}
	return b
}

// Schemas maps each event type to the name of its data schema's file in
// SchemaFS, such as "payment.missed.json" for org.opencredit.payment.missed.
func Schemas() map[string]string {
	m := make(map[string]string, len(specs))
	for _, sp := range specs {
		m[sp.typ] = sp.file
	}
	return m
}

// SchemaFS holds the schema files: envelope.json and one per event type,
// to be served as they are (for example under /schemas/).
func SchemaFS() fs.FS {
	sub, err := fs.Sub(schemaFiles, "schema")
	if err != nil {
		panic(err)
	}
	return sub
}
