package model

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
)

// ID names a model version: its kind and the first 12 hex digits of the
// SHA-256 of its JSON encoding, such as "scorecard-3f9a0c1b2d4e". Two models
// with the same points, bins, scaling and provenance have the same id;
// retraining, even on the same data, gives another (CreatedAt differs).
// Every score the service returns and every audit record names it, so a
// score can be traced to the exact table that produced it.
func ID(m *Model) (string, error) {
	b, err := json.Marshal(m)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return m.Kind + "-" + hex.EncodeToString(sum[:6]), nil
}
