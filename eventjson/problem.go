package eventjson

import "github.com/opencredit/opencredit"

// Problem says why an event was rejected. Reason is one of
// opencredit.ReasonInvalid, ReasonUnknownType, ReasonFutureTime and
// ReasonTooLarge; Path is the JSON path of the offending attribute or field
// ("data.days_past_due", "time"), or "" when the problem is the whole event;
// Message says what is wrong, for the person who sent it.
type Problem struct {
	Reason  string
	Path    string
	Message string
}

// Error returns "path: message", or the message alone when Path is "".
func (p *Problem) Error() string {
	if p.Path == "" {
		return p.Message
	}
	return p.Path + ": " + p.Message
}

// Result returns the ingestion result that rejects an event for p.
func (p *Problem) Result() opencredit.IngestResult {
	return opencredit.IngestResult{Status: opencredit.Rejected, Reason: p.Reason, Detail: p.Error()}
}

const reasonInvalid = opencredit.ReasonInvalid

// Precedence of problems: when an event has several, Decode and Validate
// report the first problem found at the lowest level, so that a client fixing
// one problem at a time converges, and a transient reason (a clock ahead of
// ours) is never reported for an event that is wrong anyway.
const (
	levelSyntax    = iota // malformed JSON, anywhere
	levelDuplicate        // a name given twice
	levelEnvelope         // the envelope's attributes, in a fixed order
	levelType             // a type that is not one of ours
	levelPayload          // the data of a known type
	levelFuture           // a time ahead of the moment of ingestion
	levels
)

// problems keeps the first problem of each level.
type problems [levels]*Problem

func (ps *problems) add(level int, reason, path, msg string) {
	if ps[level] == nil {
		ps[level] = &Problem{Reason: reason, Path: path, Message: msg}
	}
}

func (ps *problems) invalid(level int, path, msg string) {
	ps.add(level, opencredit.ReasonInvalid, path, msg)
}

// first returns the problem of the lowest level, or nil.
func (ps *problems) first() *Problem {
	for _, p := range ps {
		if p != nil {
			return p
		}
	}
	return nil
}
