package simulate

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/opencredit/opencredit"
)

const day = 24 * 3600 // seconds

// pending is an event before its envelope is written.
type pending struct {
	t    int64 // Unix seconds
	seq  int32 // order of making, to break ties
	src  int32
	typ  string
	data any
}

// emit records an event of the current month. Events of the burn-in are
// not kept.
func (p *person) emit(t int64, src int, typ string, data any) {
	if !p.live {
		return
	}
	if t < p.from || t >= p.to {
		panic(fmt.Sprintf("simulate: %s at %s outside its month %s", typ,
			time.Unix(t, 0).UTC().Format(time.RFC3339), time.Unix(p.from, 0).UTC().Format("2006-01")))
	}
	p.pend = append(p.pend, pending{t: t, seq: p.seq, src: int32(src), typ: typ, data: data})
	p.seq++
}

// at returns a moment in the working hours (08:00–20:00 UTC) of day d of
// the month, d counted from 0.
func (p *person) at(d int) int64 {
	return p.from + int64(d)*day + 8*3600 + p.r.Int64N(12*3600)
}

func dateOf(t int64) opencredit.Date {
	return opencredit.Date(time.Unix(t, 0).UTC().Format(time.DateOnly))
}

// finish writes the events in time order, numbered "<subject>-e1"
// onwards, and the furnishing consents they need: one per furnisher that
// sent one, granted at the start of the day of its first event.
func (p *person) finish(i int) Person {
	slices.SortFunc(p.pend, func(a, b pending) int {
		return cmp.Or(cmp.Compare(a.t, b.t), cmp.Compare(a.seq, b.seq))
	})
	out := Person{Index: i, ID: p.id, Group: p.group, Events: make([]opencredit.Event, len(p.pend))}
	seen := make([]bool, len(furnisherIDs))
	// One buffer holds every payload; each event's data is a full slice of
	// it, so that appending to one cannot overwrite the next.
	buf := make([]byte, 0, 160*len(p.pend))
	for k, e := range p.pend {
		start := len(buf)
		buf = appendPayload(buf, e.data)
		data := buf[start:len(buf):len(buf)]
		at := time.Unix(e.t, 0).UTC()
		out.Events[k] = opencredit.Event{
			SpecVersion:     opencredit.SpecVersion,
			ID:              p.id + "-e" + strconv.Itoa(k+1),
			Source:          furnisherIDs[e.src],
			Type:            e.typ,
			Subject:         p.id,
			Time:            at,
			DataContentType: opencredit.DataContentType,
			Data:            json.RawMessage(data),
		}
		if !seen[e.src] {
			seen[e.src] = true
			out.Consents = append(out.Consents, opencredit.Consent{Subject: p.id, Counterparty: furnisherIDs[e.src],
				Purpose: opencredit.PurposeFurnishing, GrantedAt: at.Truncate(24 * time.Hour)})
		}
	}
	return out
}
