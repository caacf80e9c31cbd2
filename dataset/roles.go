package dataset

import (
	"maps"
	"slices"
	"strconv"
	"strings"
)

// role is what a column is used for. The zero value, roleFeature, also means
// "no role assigned yet" while roles are handed out.
type role uint8

const (
	roleFeature role = iota
	roleTarget
	roleID
	roleExcluded
	roleAudit
)

func (r role) String() string {
	switch r {
	case roleTarget:
		return "target"
	case roleID:
		return "id"
	case roleExcluded:
		return "excluded"
	case roleAudit:
		return "audit"
	}
	return "feature"
}

// describe names the role in a sentence: "a column that is ...".
func (r role) describe() string {
	switch r {
	case roleTarget:
		return "the target"
	case roleID:
		return "the id column"
	case roleFeature:
		return "a feature"
	}
	return r.String()
}

// schema is the header with a role, and for features and audit columns a
// forced kind, for each position.
type schema struct {
	names  []string
	roles  []role
	kinds  []string // Options.Kinds by position, "" where not forced
	target int      // position of the target, -1 if none
	id     int      // position of the id column, -1 if none
	audit  []int    // positions of the audit columns, in Options.Audit order
}

// assignRoles checks Options against the header and gives each column its
// role. index maps each name to its position.
func (rd *reading) assignRoles(names []string, index map[string]int) (*schema, error) {
	s := &schema{
		names:  names,
		roles:  make([]role, len(names)),
		kinds:  make([]string, len(names)),
		target: -1,
		id:     -1,
	}
	set := func(name string, r role) (int, error) {
		j, ok := index[name]
		if !ok {
			return -1, rd.fail(0, name, "%s column is not in the header%s", r, hint(name, names))
		}
		switch s.roles[j] {
		case roleFeature:
			s.roles[j] = r
			return j, nil
		case r:
			return -1, rd.fail(0, name, "listed twice as an %s column", r)
		}
		return -1, rd.fail(0, name, "has two roles, %s and %s; give each column one role", s.roles[j], r)
	}
	opt := rd.opt

	if opt.Target != "" {
		if _, ok := index[opt.Target]; ok || opt.RequireTarget {
			j, err := set(opt.Target, roleTarget)
			if err != nil {
				return nil, err
			}
			s.target = j
		}
	}
	if opt.ID != "" && opt.ID != NoID {
		j, err := set(opt.ID, roleID)
		if err != nil {
			return nil, err
		}
		s.id = j
	}
	for _, name := range opt.Exclude {
		if _, err := set(name, roleExcluded); err != nil {
			return nil, err
		}
	}
	for _, name := range opt.Audit {
		j, err := set(name, roleAudit)
		if err != nil {
			return nil, err
		}
		s.audit = append(s.audit, j)
	}
	if opt.ID == "" {
		if err := rd.detectID(s); err != nil {
			return nil, err
		}
	}

	// Sorted, so that the same mistakes always give the same error.
	for _, name := range slices.Sorted(maps.Keys(opt.Kinds)) {
		kind := opt.Kinds[name]
		j, ok := index[name]
		switch {
		case !ok:
			return nil, rd.fail(0, name, "kind override names a column that is not in the header%s", hint(name, names))
		case kind != Numeric && kind != Categorical:
			return nil, rd.fail(0, name, "kind %q is not %q or %q", kind, Numeric, Categorical)
		case s.roles[j] != roleFeature && s.roles[j] != roleAudit:
			return nil, rd.fail(0, name, "kind override on a column that is %s; only feature and audit columns have a kind", s.roles[j].describe())
		}
		s.kinds[j] = kind
	}
	return s, nil
}

// detectID makes the one column named "id", in any case, that has no other
// role the id column. Two such columns are an error, since guessing could
// use the wrong one to name rows.
func (rd *reading) detectID(s *schema) error {
	for j, name := range s.names {
		if s.roles[j] != roleFeature || !strings.EqualFold(name, "id") {
			continue
		}
		if s.id >= 0 {
			return rd.fail(0, "", "columns %q and %q could both be the id column; name one as the id column or set it to %q for none", s.names[s.id], name, NoID)
		}
		s.id = j
	}
	if s.id >= 0 {
		s.roles[s.id] = roleID
	}
	return nil
}

// hint suggests a header name that differs from name only in case.
func hint(name string, names []string) string {
	for _, h := range names {
		if strings.EqualFold(h, name) {
			return " (the header has " + strconv.Quote(h) + ")"
		}
	}
	return ""
}
