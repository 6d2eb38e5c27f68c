package report

import (
	"bytes"
	"html/template"
	"strings"

	"github.com/bizconnect/bizconnect/core"
)

// htmlSection is one of the report's parts (Progress, Load, Problems, Plans) as lines of spans.
type htmlSection struct {
	Heading string
	Lines   [][]core.Span
}

// emailPage is an HTML email: one 600-pixel column of tables and inline styles, which is what
// mail clients render alike, readable on a phone.
var emailPage = template.Must(template.New("report").Funcs(template.FuncMap{
	"bold": func(s core.Style) bool { return s == core.Bold || s == core.Heading },
	"em":   func(s core.Style) bool { return s == core.Italic },
	"note": func(s core.Style) bool { return s == core.Note },
	"code": func(s core.Style) bool { return s == core.Code },
}).Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{{.Title}}</title></head>
<body style="margin:0;padding:0;background:#f4f5f7;font-family:-apple-system,'Segoe UI',Roboto,Arial,sans-serif;color:#1d1d1f">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f4f5f7"><tr><td align="center" style="padding:16px 8px">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" style="width:100%;max-width:600px;background:#ffffff;border-radius:8px">
<tr><td style="padding:24px 24px 8px">
<h1 style="margin:0;font-size:22px;line-height:1.3">📊 {{.Title}}</h1>
</td></tr>
{{- range .Sections}}
<tr><td style="padding:8px 24px">
{{- if .Heading}}
<h2 style="margin:12px 0 6px;font-size:17px;line-height:1.3">{{.Heading}}</h2>
{{- end}}
{{- range .Lines}}
<p style="margin:4px 0;font-size:15px;line-height:1.5">
{{- range .}}{{if bold .Style}}<strong>{{.Text}}</strong>{{else if em .Style}}<em>{{.Text}}</em>{{else if note .Style}}<em style="color:#555555">{{.Text}}</em>{{else if code .Style}}<code>{{.Text}}</code>{{else}}{{.Text}}{{end}}{{end -}}
</p>
{{- end}}
</td></tr>
{{- end}}
{{- if .Chart}}
<tr><td style="padding:8px 24px 24px"><img src="{{.Chart}}" width="552" alt="{{.ChartAlt}}" style="display:block;width:100%;max-width:552px;height:auto;border:0"></td></tr>
{{- end}}
</table>
</td></tr></table>
</body>
</html>
`))

// HTML is the report as an HTML email with the same content as Text. chartSrc is where the
// email finds the chart (a "cid:" reference to an inline part of the message); empty leaves
// the chart out. Every text is escaped.
func (r *Weekly) HTML(chartSrc string) (string, error) {
	var b bytes.Buffer
	err := emailPage.Execute(&b, map[string]any{
		"Lang": r.Lang, "Title": r.Title(), "Sections": sections(r.Text()),
		"Chart": template.URL(chartSrc), "ChartAlt": r.tr("chart_load"),
	})
	return b.String(), err
}

// sections splits a report's text, after its title, at its headings (bold spans that open a
// paragraph) and each section at its line breaks.
func sections(text core.Text) []htmlSection {
	if len(text) > 0 {
		text = text[1:] // the title
	}
	var out []htmlSection
	cur := &htmlSection{}
	for _, s := range text {
		if s.Style == core.Bold && strings.HasPrefix(s.Text, "\n\n") {
			if len(cur.Lines) > 0 || cur.Heading != "" {
				out = append(out, *cur)
			}
			cur = &htmlSection{Heading: strings.TrimSpace(s.Text)}
			continue
		}
		for i, part := range strings.Split(s.Text, "\n") {
			if i > 0 || len(cur.Lines) == 0 {
				cur.Lines = append(cur.Lines, nil)
			}
			if part != "" {
				last := &cur.Lines[len(cur.Lines)-1]
				*last = append(*last, core.Span{Text: part, Style: s.Style})
			}
		}
	}
	if len(cur.Lines) > 0 || cur.Heading != "" {
		out = append(out, *cur)
	}
	for i := range out {
		lines := out[i].Lines[:0]
		for _, l := range out[i].Lines {
			if len(l) > 0 {
				lines = append(lines, l)
			}
		}
		out[i].Lines = lines
	}
	return out
}
