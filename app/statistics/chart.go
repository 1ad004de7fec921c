package statistics

import (
	"fmt"
	"math"
	"strings"
	"time"

	"assistant-declaration/app/locale"
)

// Chart is a server-rendered SVG chart (bars or lines) of monthly values,
// with what its template needs already computed: the shapes, the axis and
// the data table shown under it. Values are float64 for the geometry only;
// the labels come formatted from the exact figures.
type Chart struct {
	ID      string
	Title   string
	Desc    string
	Lines   bool
	Width   int
	Height  int
	Months  []string // table header, "janv. 2026"
	Series  []Series
	Bars    []Bar
	Paths   []Path
	YTicks  []Tick
	XLabels []Tick
	// Unit is the column header of the table's values.
	Unit string
}

// Series is one named set of values of a chart.
type Series struct {
	Name   string
	Color  string
	Values []float64
	Labels []string // formatted values, one per month
}

// Bar is one rectangle of a bar chart.
type Bar struct {
	X, Y, W, H float64
	Color      string
	Label      string
}

// Path is one line of a line chart, with its points.
type Path struct {
	Color  string
	Points string
	Dots   []Bar // X, Y of each point; Label for its tooltip
}

// Tick is one graduation of an axis.
type Tick struct {
	X, Y  float64
	Label string
}

// palette holds DSFR colors that keep a 3:1 contrast on white.
var palette = []string{"#000091", "#c9191e", "#18753c", "#b34000", "#6a6af4", "#009081", "#a558a0", "#716043"}

const (
	chartWidth, chartHeight = 720, 280
	padLeft, padRight       = 64, 16
	padTop, padBottom       = 16, 40
)

// MonthLabel is "janv. 2026".
func MonthLabel(m time.Time) string {
	return locale.MonthAbbreviation(m.Month()) + " " + fmt.Sprint(m.Year())
}

// NewChart lays out series over months as grouped bars, or lines when lines
// is set; format writes an axis value.
func NewChart(id, title, desc, unit string, months []time.Time, series []Series, lines bool, format func(float64) string) Chart {
	c := Chart{ID: id, Title: title, Desc: desc, Unit: unit, Lines: lines, Width: chartWidth, Height: chartHeight, Series: series}
	for i := range c.Series {
		c.Series[i].Color = palette[i%len(palette)]
	}
	for _, m := range months {
		c.Months = append(c.Months, MonthLabel(m))
	}
	top := 0.0
	for _, s := range series {
		for _, v := range s.Values {
			top = math.Max(top, v)
		}
	}
	top = niceCeiling(top)
	plotW := float64(chartWidth - padLeft - padRight)
	plotH := float64(chartHeight - padTop - padBottom)
	y := func(v float64) float64 { return padTop + plotH - v/top*plotH }
	for i := 0; i <= 4; i++ {
		v := top * float64(i) / 4
		c.YTicks = append(c.YTicks, Tick{X: padLeft - 6, Y: y(v), Label: format(v)})
	}
	n := max(len(months), 1)
	slot := plotW / float64(n)
	every := (n + 11) / 12 // at most 12 month labels
	for i, m := range months {
		if i%every == 0 {
			c.XLabels = append(c.XLabels, Tick{X: padLeft + slot*(float64(i)+0.5), Y: chartHeight - padBottom + 18, Label: MonthLabel(m)})
		}
	}
	if lines {
		for _, s := range c.Series {
			p := Path{Color: s.Color}
			var pts []string
			for i, v := range s.Values {
				x := padLeft + slot*(float64(i)+0.5)
				pts = append(pts, fmt.Sprintf("%.1f,%.1f", x, y(v)))
				p.Dots = append(p.Dots, Bar{X: x, Y: y(v), Color: s.Color, Label: s.Name + " – " + c.Months[i] + " : " + s.Labels[i]})
			}
			p.Points = strings.Join(pts, " ")
			c.Paths = append(c.Paths, p)
		}
		return c
	}
	groupW := slot * 0.8
	barW := groupW / float64(max(len(series), 1))
	for si, s := range c.Series {
		for i, v := range s.Values {
			x := padLeft + slot*float64(i) + slot*0.1 + barW*float64(si)
			c.Bars = append(c.Bars, Bar{X: x, Y: y(v), W: math.Max(barW-1, 1), H: padTop + plotH - y(v), Color: s.Color,
				Label: s.Name + " – " + c.Months[i] + " : " + s.Labels[i]})
		}
	}
	return c
}

// niceCeiling rounds up to 1, 2 or 5 times a power of ten (at least 1), so
// that the axis' quarters read well.
func niceCeiling(v float64) float64 {
	if v <= 1 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 4, 5, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}

// Bottom is the y of the horizontal axis.
func (c Chart) Bottom() int { return chartHeight - padBottom }

// Left is the x of the vertical axis.
func (c Chart) Left() int { return padLeft }

// Right is the x of the plot's right edge.
func (c Chart) Right() int { return chartWidth - padRight }
