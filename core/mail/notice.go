package mail

import (
	"html/template"
	"strings"
)

// Notice is a short mail of a few paragraphs, a button and a code, as text and as HTML (one
// column of inline styles, which is what mail clients render alike).
type Notice struct {
	Lang       string
	Heading    string
	Paragraphs []string
	Button     string // the button's label; with ButtonURL
	ButtonURL  string
	Code       string // a one-time code shown large; none when empty
	Footer     string
}

// Text is the plain-text part.
func (n Notice) Text() string {
	var b strings.Builder
	b.WriteString(n.Heading + "\n\n")
	for _, p := range n.Paragraphs {
		b.WriteString(p + "\n\n")
	}
	if n.ButtonURL != "" {
		b.WriteString(n.Button + ":\n" + n.ButtonURL + "\n\n")
	}
	if n.Code != "" {
		b.WriteString(n.Code + "\n\n")
	}
	b.WriteString("-- \n" + n.Footer + "\n")
	return b.String()
}

// HTML is the HTML part.
func (n Notice) HTML() (string, error) {
	var b strings.Builder
	err := noticePage.Execute(&b, n)
	return b.String(), err
}

var noticePage = template.Must(template.New("notice").Parse(`<!doctype html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{{.Heading}}</title></head>
<body style="margin:0;padding:0;background:#f4f5f7">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f4f5f7"><tr><td align="center" style="padding:24px 12px">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" style="max-width:600px;width:100%;background:#ffffff;border-radius:8px;font-family:-apple-system,Segoe UI,Roboto,Arial,sans-serif;color:#1f2328">
<tr><td style="padding:28px 32px 8px;font-size:20px;font-weight:600">{{.Heading}}</td></tr>
{{range .Paragraphs}}<tr><td style="padding:8px 32px;font-size:15px;line-height:1.5">{{.}}</td></tr>
{{end}}{{if .ButtonURL}}<tr><td style="padding:16px 32px"><a href="{{.ButtonURL}}" style="display:inline-block;background:#2f6feb;color:#ffffff;text-decoration:none;padding:12px 20px;border-radius:6px;font-size:15px">{{.Button}}</a></td></tr>
{{end}}{{if .Code}}<tr><td style="padding:8px 32px 16px;font-size:28px;letter-spacing:6px;font-family:Menlo,Consolas,monospace">{{.Code}}</td></tr>
{{end}}<tr><td style="padding:16px 32px 28px;font-size:12px;color:#6e7781">{{.Footer}}</td></tr>
</table></td></tr></table></body></html>
`))
