package model

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strconv"

	"github.com/opencredit/opencredit"
)

// MaxArtifactBytes bounds the size of a model file Load reads.
const MaxArtifactBytes = 64 << 20

// Save writes m as indented JSON.
func (m *Model) Save(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(m)
}

// SaveFile writes m to path, replacing it atomically.
func (m *Model) SaveFile(path string) error {
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, buf.Bytes(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// LoadFile reads and validates the model artifact at path.
func LoadFile(path string) (*Model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, opencredit.Errorf(opencredit.EINVALID, "model %s: %v", path, err)
	}
	defer f.Close()
	m, err := Load(f)
	if err != nil {
		return nil, opencredit.Errorf(opencredit.EINVALID, "model %s: %v", path, err)
	}
	return m, nil
}

// Load decodes and validates a model artifact. A corrupt, truncated or
// incompatible file is an error that says what is wrong.
func Load(r io.Reader) (*Model, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxArtifactBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxArtifactBytes {
		return nil, opencredit.Errorf(opencredit.EINVALID, "file is larger than %d bytes", MaxArtifactBytes)
	}
	var probe struct {
		SchemaVersion *int `json:"schema_version"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, opencredit.Errorf(opencredit.EINVALID, "not a model file: %v", err)
	}
	if probe.SchemaVersion == nil {
		return nil, opencredit.Errorf(opencredit.EINVALID, "not a model file: no schema_version")
	}
	if *probe.SchemaVersion != SchemaVersion {
		return nil, opencredit.Errorf(opencredit.EINVALID, "model schema version %d is not supported (this build reads version %d)", *probe.SchemaVersion, SchemaVersion)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var m Model
	if err := dec.Decode(&m); err != nil {
		return nil, opencredit.Errorf(opencredit.EINVALID, "corrupt model file: %v", err)
	}
	if dec.More() {
		return nil, opencredit.Errorf(opencredit.EINVALID, "corrupt model file: data after the model object")
	}
	if err := m.Prepare(); err != nil {
		return nil, err
	}
	return &m, nil
}

func invalid(format string, args ...any) error {
	return opencredit.Errorf(opencredit.EINVALID, "invalid model: "+format, args...)
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// validate checks everything scoring relies on.
func (m *Model) validate() error {
	if m.SchemaVersion != SchemaVersion {
		return invalid("schema_version %d, want %d", m.SchemaVersion, SchemaVersion)
	}
	s := m.Scaling
	if !(s.PDO > 0) || !(s.BaseOdds > 0) || !finite(s.BaseScore) || !finite(s.PDO) || !finite(s.BaseOdds) {
		return invalid("scaling needs pdo > 0 and base_odds > 0, got pdo %v, base_odds %v", s.PDO, s.BaseOdds)
	}
	if s.Min >= s.Max {
		return invalid("scaling min %d is not below max %d", s.Min, s.Max)
	}
	if m.ScoreCounts != nil {
		if len(m.ScoreCounts) != s.ScoreBuckets() {
			return invalid("score_counts has %d buckets; %d–%d in %d-point buckets has %d", len(m.ScoreCounts), s.Min, s.Max, ScoreBucket, s.ScoreBuckets())
		}
		for i, c := range m.ScoreCounts {
			if c < 0 {
				return invalid("score_counts[%d] is negative", i)
			}
		}
	}
	if len(m.Bands) == 0 {
		return invalid("no score bands")
	}
	for i := 1; i < len(m.Bands); i++ {
		if m.Bands[i].Min <= m.Bands[i-1].Min {
			return invalid("band %q does not start above band %q", m.Bands[i].Name, m.Bands[i-1].Name)
		}
	}
	if !finite(m.Intercept) {
		return invalid("intercept is not finite")
	}
	if len(m.Features) == 0 {
		return invalid("no features")
	}
	seen := map[string]bool{}
	for j := range m.Features {
		f := &m.Features[j]
		if f.Name == "" {
			return invalid("feature %d has no name", j)
		}
		if seen[f.Name] {
			return invalid("feature %q appears twice", f.Name)
		}
		seen[f.Name] = true
		if f.ReasonCode == "" {
			return invalid("feature %q has no reason code", f.Name)
		}
		if f.Dimension != "" && !opencredit.Dimension(f.Dimension).Valid() {
			return invalid("feature %q: unknown dimension %q", f.Name, f.Dimension)
		}
		if len(f.Bins) == 0 {
			return invalid("feature %q has no bins", f.Name)
		}
		missing := 0
		for bi, b := range f.Bins {
			if b.Missing {
				missing++
			}
			if !finite(b.Logit) || !finite(b.WoE) {
				return invalid("feature %q bin %d: logit or woe is not finite", f.Name, bi)
			}
		}
		if missing != 1 {
			return invalid("feature %q has %d missing bins, want exactly 1", f.Name, missing)
		}
		var err error
		switch f.Kind {
		case Numeric:
			err = validateNumeric(f)
		case Categorical:
			err = validateCategorical(f)
		default:
			err = invalid("feature %q: unknown kind %q", f.Name, f.Kind)
		}
		if err != nil {
			return err
		}
	}
	if err := m.validatePairs(); err != nil {
		return err
	}
	return m.validateDerived()
}

// numericOrder returns the indexes of f's interval bins sorted by lower bound.
func numericOrder(f *Feature) []int {
	var order []int
	for i, b := range f.Bins {
		if !(b.Missing && b.Lower == nil && b.Upper == nil) {
			order = append(order, i)
		}
	}
	sort.SliceStable(order, func(a, b int) bool {
		la, lb := f.Bins[order[a]].Lower, f.Bins[order[b]].Lower
		if la == nil {
			return lb != nil
		}
		return lb != nil && *la < *lb
	})
	return order
}

// validateNumeric checks that the interval bins tile the real line.
func validateNumeric(f *Feature) error {
	order := numericOrder(f)
	if len(order) == 0 {
		return invalid("feature %q has no interval bins", f.Name)
	}
	for k, bi := range order {
		b := f.Bins[bi]
		if len(b.Categories) > 0 || b.Other {
			return invalid("numeric feature %q bin %d has categories", f.Name, bi)
		}
		if (b.Lower != nil && !finite(*b.Lower)) || (b.Upper != nil && !finite(*b.Upper)) {
			return invalid("feature %q bin %d: bound is not finite", f.Name, bi)
		}
		if k == 0 && b.Lower != nil {
			return invalid("feature %q: the first bin must have no lower bound", f.Name)
		}
		if k == len(order)-1 && b.Upper != nil {
			return invalid("feature %q: the last bin must have no upper bound", f.Name)
		}
		if k < len(order)-1 {
			next := f.Bins[order[k+1]]
			if b.Upper == nil || next.Lower == nil || *b.Upper != *next.Lower {
				return invalid("feature %q: bins %d and %d do not meet", f.Name, bi, order[k+1])
			}
			if b.Lower != nil && !(*b.Lower < *b.Upper) {
				return invalid("feature %q bin %d is empty: lower %v, upper %v", f.Name, bi, *b.Lower, *b.Upper)
			}
		}
	}
	return nil
}

func validateCategorical(f *Feature) error {
	seen := map[string]int{}
	other := 0
	for bi, b := range f.Bins {
		if b.Lower != nil || b.Upper != nil {
			return invalid("categorical feature %q bin %d has bounds", f.Name, bi)
		}
		if b.Other {
			other++
		}
		for _, c := range b.Categories {
			if prev, ok := seen[c]; ok {
				return invalid("feature %q: category %q is in bins %d and %d", f.Name, c, prev, bi)
			}
			seen[c] = bi
		}
	}
	if other > 1 {
		return invalid("feature %q has %d other bins, want at most 1", f.Name, other)
	}
	return nil
}

// fmtNum prints a bound exactly (the shortest decimal that reads back as the
// same float64), without a trailing ".0" or an exponent.
func fmtNum(x float64) string {
	if x == math.Trunc(x) && math.Abs(x) < 1e15 {
		return strconv.FormatFloat(x, 'f', 0, 64)
	}
	return strconv.FormatFloat(x, 'f', -1, 64)
}

// String describes a scaling for reports.
func (s Scaling) String() string {
	return fmt.Sprintf("%g points at %g:1, %g points to double the odds, %d–%d", s.BaseScore, s.BaseOdds, s.PDO, s.Min, s.Max)
}
