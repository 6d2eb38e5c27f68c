package nlu

import (
	"strings"
	"unicode"
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
