package dispute

import (
	"encoding/json"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/eventjson"
)

// Deadline is how long a furnisher has to answer a dispute before the
// disputed event is suppressed from scoring. FCRA §611(a)(1)(A) gives a
// consumer reporting agency 30 days from the notice of a dispute to finish
// its reinvestigation, and §611(a)(5)(A) has it delete information it
// cannot verify; the brief asks the same ("unverified after 30 days, it is
// suppressed"). §611(a)(1)(B) allows 15 more days when the person sends
// more information during the 30; no route takes further information yet,
// so the deadline is the plain 30 days, counted in exact 24-hour days from
// the moment the dispute opened.
const Deadline = 30 * 24 * time.Hour

// Due returns when an open dispute lapses.
func Due(d opencredit.Dispute) time.Time { return d.OpenedAt.Add(Deadline) }

// Lapsed reports whether d is open and its deadline has passed at now.
func Lapsed(d opencredit.Dispute, now time.Time) bool {
	return d.Status == opencredit.DisputeOpen && !now.Before(Due(d))
}

// Outcomes are the statuses a furnisher (or an operator) may resolve a
// dispute with; DisputeSuppressed is the platform's, at the deadline.
var Outcomes = []string{opencredit.DisputeVerified, opencredit.DisputeCorrected, opencredit.DisputeDeleted}

// CheckOutcome refuses a status that is not one of Outcomes.
func CheckOutcome(status string) error {
	for _, o := range Outcomes {
		if status == o {
			return nil
		}
	}
	return opencredit.Errorf(opencredit.EINVALID, "outcome %q is not one of verified, corrected, deleted", status)
}

// CheckResolution checks the shape of a resolution before any store is
// read: its status, that corrected content comes with a correction and only
// with one, the note, the resolver and the time.
func CheckResolution(r opencredit.DisputeResolution) error {
	if err := opencredit.CheckID("dispute id", r.ID); err != nil {
		return err
	}
	if r.Status != opencredit.DisputeSuppressed {
		if err := CheckOutcome(r.Status); err != nil {
			return err
		}
	}
	if (r.Status == opencredit.DisputeCorrected) != (r.Corrected != nil) {
		if r.Corrected == nil {
			return opencredit.Errorf(opencredit.EINVALID, "outcome corrected needs the corrected event content (corrected.data)")
		}
		return opencredit.Errorf(opencredit.EINVALID, "corrected content is given only with outcome corrected, not %s", r.Status)
	}
	if err := opencredit.CheckText("note", r.Note, false); err != nil {
		return err
	}
	if err := opencredit.CheckID("resolver", r.Resolver); err != nil {
		return err
	}
	return opencredit.CheckTime("resolution time", r.At)
}

// Change is what a resolution does: the dispute as resolved, the event's
// content after it, and whether the event is suppressed from features.
type Change struct {
	Dispute    opencredit.Dispute
	Event      opencredit.Event
	Suppressed bool
}

// Resolve applies resolution r to the pending dispute d of event old (as
// stored). A dispute no longer pending, or a suppression of one that is not
// open, is ECONFLICT. A correction keeps the event's id, source, subject
// and type (a wrong type is a deletion and a new event); its data, and its
// time when given, replace the old ones after passing the same validation as
// an ingested event (eventjson.Validate, at the resolution's time), whose
// message names the field.
func Resolve(d opencredit.Dispute, old opencredit.Event, r opencredit.DisputeResolution) (Change, error) {
	if err := CheckResolution(r); err != nil {
		return Change{}, err
	}
	if !d.Pending() {
		return Change{}, opencredit.Errorf(opencredit.ECONFLICT, "dispute %s was resolved already (%s)", d.ID, d.Status)
	}
	if r.Status == opencredit.DisputeSuppressed && d.Status != opencredit.DisputeOpen {
		return Change{}, opencredit.Errorf(opencredit.ECONFLICT, "dispute %s is %s, not open: only an open dispute lapses", d.ID, d.Status)
	}
	at := r.At.UTC()
	out := d
	out.Status, out.ResolvedAt, out.Note, out.Resolver = r.Status, &at, r.Note, r.Resolver
	ch := Change{Dispute: out, Event: old}
	switch r.Status {
	case opencredit.DisputeVerified:
		ch.Suppressed = false
	case opencredit.DisputeDeleted, opencredit.DisputeSuppressed:
		ch.Suppressed = true
	case opencredit.DisputeCorrected:
		ev, err := corrected(old, *r.Corrected, r.At)
		if err != nil {
			return Change{}, err
		}
		orig, err := json.Marshal(old)
		if err != nil {
			return Change{}, &opencredit.Error{Code: opencredit.EINTERNAL, Message: "cannot encode the event before its correction", Err: err}
		}
		ch.Event, ch.Dispute.Original = ev, orig
	}
	return ch, nil
}

// corrected returns old with the correction's content, validated.
func corrected(old, c opencredit.Event, now time.Time) (opencredit.Event, error) {
	for _, f := range []struct{ name, got, want string }{
		{"id", c.ID, old.ID}, {"source", c.Source, old.Source}, {"subject", c.Subject, old.Subject}, {"type", c.Type, old.Type},
	} {
		if f.got != "" && f.got != f.want {
			return opencredit.Event{}, opencredit.Errorf(opencredit.EINVALID,
				"corrected.%s %q differs from the disputed event's %q: a correction changes only data and time (delete the event and send a new one instead)",
				f.name, f.got, f.want)
		}
	}
	if len(c.Data) == 0 {
		return opencredit.Event{}, opencredit.Errorf(opencredit.EINVALID, "corrected.data is required: the event's corrected content")
	}
	ev := old
	ev.Data = append(json.RawMessage(nil), c.Data...)
	if !c.Time.IsZero() {
		ev.Time = c.Time.UTC()
	}
	if _, prob := eventjson.Validate(&ev, now); prob != nil {
		return opencredit.Event{}, opencredit.Errorf(opencredit.EINVALID, "corrected event: %s", prob.Error())
	}
	return ev, nil
}
