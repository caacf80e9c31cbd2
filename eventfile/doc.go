// Package eventfile reads files of events from data furnishers: NDJSON (one
// CloudEvents JSON object per line) or CSV in this column layout, with a
// header row:
//
//	id,source,type,subject,time,data
//
// where time is RFC 3339 and data is the event's JSON object (quoted as CSV
// requires). Each record comes with its line number, so rejected lines can be
// reported where they are. A line longer than opencredit.MaxEventBytes is
// returned as too large without being held in memory. Package importer
// stores what a Reader yields; README, Event file formats, has examples.
package eventfile
