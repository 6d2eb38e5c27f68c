package nlu

import (
	"math"
	"strings"
	"unicode"

	"github.com/bizconnect/bizconnect/core"
)

// cities lists major cities (and zone abbreviations) by IANA zone, with their Russian and English names.
var cities = []struct {
	zone  string
	names []string
}{
	{"Europe/Moscow", []string{"москва", "мск", "msk", "moscow", "moskva"}},
	{"Europe/Moscow", []string{"санкт-петербург", "петербург", "питер", "спб", "ленинград", "saint petersburg", "st petersburg", "st. petersburg", "petersburg", "spb"}},
	{"Europe/Moscow", []string{"нижний новгород", "nizhny novgorod", "казань", "kazan", "воронеж", "voronezh", "ростов-на-дону", "ростов", "rostov", "rostov-on-don", "краснодар", "krasnodar", "сочи", "sochi", "ярославль", "yaroslavl", "минск", "minsk", "тула", "tula"}},
	{"Europe/Volgograd", []string{"волгоград", "volgograd"}},
	{"Europe/Samara", []string{"самара", "samara", "ижевск", "izhevsk"}},
	{"Asia/Yekaterinburg", []string{"екатеринбург", "екб", "yekaterinburg", "ekaterinburg", "челябинск", "chelyabinsk", "пермь", "perm", "уфа", "ufa", "тюмень", "tyumen", "сургут", "surgut"}},
	{"Asia/Omsk", []string{"омск", "omsk"}},
	{"Asia/Novosibirsk", []string{"новосибирск", "новосиб", "novosibirsk"}},
	{"Asia/Krasnoyarsk", []string{"красноярск", "krasnoyarsk"}},
	{"Asia/Irkutsk", []string{"иркутск", "irkutsk"}},
	{"Asia/Yakutsk", []string{"якутск", "yakutsk"}},
	{"Asia/Vladivostok", []string{"владивосток", "vladivostok", "хабаровск", "khabarovsk"}},
	{"Asia/Magadan", []string{"магадан", "magadan"}},
	{"Asia/Kamchatka", []string{"петропавловск-камчатский", "камчатка", "kamchatka"}},
	{"Europe/Kaliningrad", []string{"калининград", "kaliningrad"}},
	{"Europe/London", []string{"лондон", "london", "bst"}},
	{"Europe/Paris", []string{"париж", "paris"}},
	{"Europe/Berlin", []string{"берлин", "berlin", "мюнхен", "munich", "cet"}},
	{"Europe/Madrid", []string{"мадрид", "madrid", "барселона", "barcelona"}},
	{"Europe/Rome", []string{"рим", "rome", "милан", "milan"}},
	{"Europe/Amsterdam", []string{"амстердам", "amsterdam"}},
	{"Europe/Lisbon", []string{"лиссабон", "lisbon"}},
	{"Europe/Vienna", []string{"вена", "vienna"}},
	{"Europe/Prague", []string{"прага", "prague"}},
	{"Europe/Warsaw", []string{"варшава", "warsaw"}},
	{"Europe/Helsinki", []string{"хельсинки", "helsinki"}},
	{"Europe/Stockholm", []string{"стокгольм", "stockholm"}},
	{"Europe/Riga", []string{"рига", "riga"}},
	{"Europe/Vilnius", []string{"вильнюс", "vilnius"}},
	{"Europe/Tallinn", []string{"таллин", "таллинн", "tallinn"}},
	{"Europe/Belgrade", []string{"белград", "belgrade"}},
	{"Europe/Kyiv", []string{"киев", "київ", "kyiv", "kiev"}},
	{"Europe/Istanbul", []string{"стамбул", "istanbul", "анталья", "antalya", "анкара", "ankara"}},
	{"Asia/Nicosia", []string{"лимассол", "limassol", "кипр", "cyprus", "никосия", "nicosia"}},
	{"Asia/Tbilisi", []string{"тбилиси", "tbilisi", "батуми", "batumi"}},
	{"Asia/Yerevan", []string{"ереван", "yerevan"}},
	{"Asia/Baku", []string{"баку", "baku"}},
	{"Asia/Almaty", []string{"алматы", "алма-ата", "almaty"}},
	{"Asia/Almaty", []string{"астана", "astana"}},
	{"Asia/Tashkent", []string{"ташкент", "tashkent"}},
	{"Asia/Bishkek", []string{"бишкек", "bishkek"}},
	{"Asia/Dubai", []string{"дубай", "дубаи", "dubai", "абу-даби", "abu dhabi"}},
	{"Asia/Jerusalem", []string{"тель-авив", "tel aviv", "иерусалим", "jerusalem"}},
	{"Africa/Cairo", []string{"каир", "cairo"}},
	{"America/New_York", []string{"нью-йорк", "new york", "nyc", "ny", "бостон", "boston", "майами", "miami", "вашингтон", "washington", "est", "edt"}},
	{"America/Chicago", []string{"чикаго", "chicago", "cst"}},
	{"America/Denver", []string{"денвер", "denver", "mst"}},
	{"America/Los_Angeles", []string{"лос-анджелес", "los angeles", "la", "сан-франциско", "san francisco", "sf", "сиэтл", "seattle", "pst", "pdt"}},
	{"America/Toronto", []string{"торонто", "toronto"}},
	{"America/Vancouver", []string{"ванкувер", "vancouver"}},
	{"America/Mexico_City", []string{"мехико", "mexico city"}},
	{"America/Sao_Paulo", []string{"сан-паулу", "sao paulo", "são paulo"}},
	{"America/Argentina/Buenos_Aires", []string{"буэнос-айрес", "buenos aires"}},
	{"Asia/Tokyo", []string{"токио", "tokyo", "jst"}},
	{"Asia/Shanghai", []string{"пекин", "beijing", "шанхай", "shanghai"}},
	{"Asia/Hong_Kong", []string{"гонконг", "hong kong"}},
	{"Asia/Singapore", []string{"сингапур", "singapore"}},
	{"Asia/Bangkok", []string{"бангкок", "bangkok", "пхукет", "phuket"}},
	{"Asia/Makassar", []string{"бали", "bali"}},
	{"Asia/Kolkata", []string{"дели", "нью-дели", "delhi", "new delhi", "мумбаи", "mumbai", "ist"}},
	{"Asia/Seoul", []string{"сеул", "seoul"}},
	{"Australia/Sydney", []string{"сидней", "sydney", "мельбурн", "melbourne"}},
	{"Africa/Johannesburg", []string{"йоханнесбург", "johannesburg"}},
	{"UTC", []string{"utc", "gmt", "гринвич"}},
}

// cityIndex maps a normalised city key to its zone.
var cityIndex = buildCityIndex()

func buildCityIndex() map[string]string {
	m := make(map[string]string, 256)
	for _, c := range cities {
		for _, n := range c.names {
			m[cityKey(n)] = c.zone
		}
	}
	return m
}

// CityTimezone resolves a city name, in Russian (any case: "в Новосибирске", "Питер") or English
// ("NYC", "London"), to its IANA zone.
func CityTimezone(name string) (string, bool) {
	k := cityKey(name)
	if k == "" {
		return "", false
	}
	if tz, ok := cityIndex[k]; ok {
		return tz, true
	}
	return "", false
}

var cityLead = set("в", "во", "из", "по", "in", "at", "to", "the", "city", "город", "городе", "of")

// cityKey lowercases, drops a leading preposition, splits on non-letters and strips Russian case endings.
func cityKey(name string) string {
	words := strings.FieldsFunc(normWord(name), func(r rune) bool { return !unicode.IsLetter(r) })
	for len(words) > 1 && cityLead[words[0]] {
		words = words[1:]
	}
	for i, w := range words {
		words[i] = stripCase(w)
	}
	return strings.Join(words, " ")
}

var caseEndings = []string{"ами", "ому", "ему", "ого", "его", "ах", "ях", "ом", "ем", "ой", "ей", "ий", "ый", "ая", "ое", "ую",
	"е", "а", "у", "ы", "и", "ю", "я", "ь", "й", "о"}

// stripCase removes one Russian case ending, keeping at least two letters; Latin words pass through.
func stripCase(w string) string {
	if w == "" || w[0] < 0x80 {
		return w
	}
	for _, e := range caseEndings {
		if strings.HasSuffix(w, e) && len([]rune(w))-len([]rune(e)) >= 2 {
			return w[:len(w)-len(e)]
		}
	}
	return w
}

// cityPoint is a city whose zone stands for the region around it.
type cityPoint struct {
	lat, lon float64
	zone     string
}

var cityPoints = []cityPoint{
	{55.75, 37.62, "Europe/Moscow"}, {59.94, 30.31, "Europe/Moscow"}, {54.71, 20.51, "Europe/Kaliningrad"},
	{53.20, 50.15, "Europe/Samara"}, {56.84, 60.61, "Asia/Yekaterinburg"}, {54.99, 73.37, "Asia/Omsk"},
	{55.03, 82.92, "Asia/Novosibirsk"}, {56.01, 92.87, "Asia/Krasnoyarsk"}, {52.29, 104.28, "Asia/Irkutsk"},
	{62.03, 129.73, "Asia/Yakutsk"}, {43.12, 131.89, "Asia/Vladivostok"}, {59.57, 150.80, "Asia/Magadan"},
	{53.02, 158.65, "Asia/Kamchatka"}, {50.45, 30.52, "Europe/Kyiv"}, {53.90, 27.57, "Europe/Minsk"},
	{43.24, 76.89, "Asia/Almaty"}, {41.31, 69.24, "Asia/Tashkent"}, {40.41, 49.87, "Asia/Baku"},
	{41.72, 44.79, "Asia/Tbilisi"}, {40.18, 44.51, "Asia/Yerevan"}, {41.01, 28.98, "Europe/Istanbul"},
	{51.51, -0.13, "Europe/London"}, {52.52, 13.40, "Europe/Berlin"}, {48.86, 2.35, "Europe/Paris"},
	{40.42, -3.70, "Europe/Madrid"}, {41.90, 12.50, "Europe/Rome"}, {52.23, 21.01, "Europe/Warsaw"},
	{25.20, 55.27, "Asia/Dubai"}, {28.61, 77.21, "Asia/Kolkata"}, {13.76, 100.50, "Asia/Bangkok"},
	{1.35, 103.82, "Asia/Singapore"}, {39.90, 116.40, "Asia/Shanghai"}, {35.68, 139.69, "Asia/Tokyo"},
	{-33.87, 151.21, "Australia/Sydney"}, {40.71, -74.01, "America/New_York"}, {41.88, -87.63, "America/Chicago"},
	{39.74, -104.99, "America/Denver"}, {34.05, -118.24, "America/Los_Angeles"}, {19.43, -99.13, "America/Mexico_City"},
	{-23.55, -46.63, "America/Sao_Paulo"}, {-34.60, -58.38, "America/Argentina/Buenos_Aires"}, {30.04, 31.24, "Africa/Cairo"},
	{-26.20, 28.05, "Africa/Johannesburg"}, {6.52, 3.38, "Africa/Lagos"}, {43.65, -79.38, "America/Toronto"},
	{49.28, -123.12, "America/Vancouver"}, {21.31, -157.86, "Pacific/Honolulu"}, {64.15, -21.94, "Atlantic/Reykjavik"},
}

// ZoneAt returns the time zone of the known city nearest to loc.
func ZoneAt(loc core.Location) string {
	best, bestD := "UTC", math.Inf(1)
	for _, c := range cityPoints {
		dLat := c.lat - loc.Latitude
		dLon := (c.lon - loc.Longitude) * math.Cos(loc.Latitude*math.Pi/180)
		if d := dLat*dLat + dLon*dLon; d < bestD {
			best, bestD = c.zone, d
		}
	}
	return best
}
