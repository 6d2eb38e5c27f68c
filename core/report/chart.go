package report

import (
	"fmt"
	"math"
	"strconv"

	"github.com/go-analyze/charts"

	"github.com/bizconnect/bizconnect/core/locale"
)

// Chart size: landscape, legible on a phone once Telegram shrinks it to the screen's width.
const (
	ChartWidth  = 1200
	ChartHeight = 1000
)

// chartGoals bounds the goal lines drawn.
const chartGoals = 3

// Chart draws the report's picture as a PNG: the Business Load of the last four weeks (the days
// still ahead of the week as planned, a second line) over the goals' progress in percent.
func (r *Weekly) Chart() ([]byte, error) {
	p := charts.NewPainter(charts.PainterOptions{OutputFormat: charts.ChartOutputPNG, Width: ChartWidth, Height: ChartHeight})
	p.FilledRect(0, 0, ChartWidth, ChartHeight, charts.ColorWhite, charts.ColorWhite, 0)
	top := p.Child(charts.PainterBoxOption(charts.NewBox(0, 0, ChartWidth, ChartHeight/2)))
	bottom := p.Child(charts.PainterBoxOption(charts.NewBox(0, ChartHeight/2, ChartWidth, ChartHeight)))
	if r.Team != "" { // a team's picture is its goals: no one's load
		bottom = p.Child(charts.PainterBoxOption(charts.NewBox(0, 0, ChartWidth, ChartHeight)))
	}

	labels := make([]string, len(r.Days))
	for i, d := range r.Days {
		labels[i] = fmt.Sprintf("%02d.%02d", d.Date.Day, d.Date.Month) // short enough for a phone's width
		if r.Lang != "ru" {
			labels[i] = strconv.Itoa(d.Date.Day) + " " + locale.MonthName("en", d.Date.Month)
		}
	}
	x := charts.XAxisOption{Labels: labels, LabelCount: Weeks + 1, LabelFontStyle: font(20), BoundaryGap: charts.Ptr(false)}
	y := func(max float64, unit string) []charts.YAxisOption {
		return []charts.YAxisOption{{Min: charts.Ptr(0.0), Max: charts.Ptr(max), LabelFontStyle: font(20), LabelCount: 5,
			ValueFormatter: func(v float64) string { return strconv.Itoa(int(math.Round(v))) + unit }}}
	}

	actual, planned := make([]float64, len(r.Days)), make([]float64, len(r.Days))
	for i, d := range r.Days {
		actual[i], planned[i] = charts.GetNullValue(), charts.GetNullValue()
		if d.Projected {
			planned[i] = float64(d.Score.Value)
		} else {
			actual[i] = float64(d.Score.Value)
		}
		if !d.Projected && i+1 < len(r.Days) && r.Days[i+1].Projected {
			planned[i] = actual[i] // the planned line starts where the actual one ends
		}
	}
	series := charts.LineSeriesList{{Name: locale.T(r.Lang, "chart_load"), Values: actual}}
	if hasValue(planned) {
		series = append(series, charts.LineSeries{Name: locale.T(r.Lang, "chart_planned"), Values: planned})
	}
	if r.Team == "" {
		if err := top.LineChart(lines(locale.T(r.Lang, "chart_load_title"), x, y(100, ""), series)); err != nil {
			return nil, fmt.Errorf("report: load chart: %w", err)
		}
	}

	var goals charts.LineSeriesList
	for _, g := range r.Goals {
		if len(g.Share) != len(r.Days) || len(goals) == chartGoals {
			continue
		}
		vals := make([]float64, len(g.Share))
		for i, s := range g.Share {
			vals[i] = charts.GetNullValue()
			if !r.Days[i].Date.After(r.Today) {
				vals[i] = math.Round(s * 100)
			}
		}
		goals = append(goals, charts.LineSeries{Name: locale.Shorten(g.Goal.Title, 28), Values: vals})
	}
	if len(goals) == 0 {
		bottom.Text(locale.T(r.Lang, "chart_no_goals"), 60, ChartHeight/4, 0, font(26))
	} else {
		if err := bottom.LineChart(lines(locale.T(r.Lang, "chart_goals_title"), x, y(100, "%"), goals)); err != nil {
			return nil, fmt.Errorf("report: goals chart: %w", err)
		}
	}
	b, err := p.Bytes()
	if err != nil {
		return nil, fmt.Errorf("report: chart: %w", err)
	}
	return b, nil
}

// lines is a titled line chart of series, its legend at the top right, in strokes a phone shows.
func lines(title string, x charts.XAxisOption, y []charts.YAxisOption, series charts.LineSeriesList) charts.LineChartOption {
	names := make([]string, len(series))
	for i, s := range series {
		names[i] = s.Name
	}
	return charts.LineChartOption{
		Title:   charts.TitleOption{Text: title, FontStyle: font(28)},
		Padding: charts.NewBox(20, 20, 40, 20),
		XAxis:   x, YAxis: y, SeriesList: series, LineStrokeWidth: 4, Symbol: charts.Symbol{Shape: charts.SymbolNone},
		Legend: charts.LegendOption{SeriesNames: names, FontStyle: font(20), Offset: charts.OffsetRight},
	}
}

func font(size float64) charts.FontStyle {
	return charts.FontStyle{FontSize: size, FontColor: charts.ColorBlack}
}

func hasValue(vs []float64) bool {
	null := charts.GetNullValue()
	for _, v := range vs {
		if v != null {
			return true
		}
	}
	return false
}
