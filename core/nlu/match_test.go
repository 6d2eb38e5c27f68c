package nlu

import "testing"

func TestMatchScore(t *testing.T) {
	tests := []struct {
		query, title string
		min, max     float64
	}{
		{"Сделал звонок Ивану", "позвонить Ивану", 0.5, 1},
		{"Сделал звонок Ивану", "купить молоко", 0, 0.3},
		{"звонок Ивану", "Позвонить Ивану Петровичу", 0.5, 1},
		{"отчёт", "подготовить отчет для банка", 0.3, 1},
		{"отчет", "купить молоко", 0, 0.1},
		{"call Ivan", "Call Ivan about the contract", 0.5, 1},
		{"called Ivan", "call ivan", 0.9, 1},
		{"done: call Ivan", "buy milk", 0, 0.1},
		{"презентацию", "сделать презентацию инвесторам", 0.4, 1},
		{"встречу с Олегом", "встреча с Олегом", 0.9, 1},
		{"", "позвонить", 0, 0},
		{"позвонить", "", 0, 0},
		{"и в на", "позвонить", 0, 0},
		{"оплатил аренду", "оплатить аренду офиса", 0.6, 1},
		{"sent the invoice", "send invoice to ACME", 0.4, 1},
		{"customers", "100 клиентов", 0.45, 1},
		{"клиентов", "50 customers by Q1", 0.45, 1},
		{"MRR", "MRR 600 тысяч", 0.45, 1},
		{"выручка", "revenue 1M", 0.45, 1},
		{"deals", "50 сделок", 0.45, 1},
		{"выручка", "100 клиентов", 0, 0.3},
		{"лидов", "позвонить Лидии", 0, 0.3},
	}
	for _, tt := range tests {
		got := MatchScore(tt.query, tt.title)
		if got < tt.min || got > tt.max || got < 0 || got > 1 {
			t.Errorf("MatchScore(%q, %q) = %.2f, want %.2f..%.2f", tt.query, tt.title, got, tt.min, tt.max)
		}
	}
}

func TestMatchScoreRanks(t *testing.T) {
	titles := []string{"купить молоко", "позвонить Ивану", "позвонить маме", "отчёт для Ивана"}
	best, bestScore := "", -1.0
	for _, title := range titles {
		if s := MatchScore("сделал звонок Ивану", title); s > bestScore {
			best, bestScore = title, s
		}
	}
	if best != "позвонить Ивану" {
		t.Errorf("best match = %q, want %q", best, "позвонить Ивану")
	}
}

func TestDetectLang(t *testing.T) {
	tests := []struct{ text, want string }{
		{"привет", "ru"}, {"hello", "en"}, {"", "en"}, {"Call Иван", "ru"}, {"123 !!!", "en"},
		{"ёжик", "ru"}, {"😀", "en"}, {"Ёлка", "ru"}, {"naïve café", "en"},
	}
	for _, tt := range tests {
		if got := DetectLang(tt.text); got != tt.want {
			t.Errorf("DetectLang(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestCityTimezone(t *testing.T) {
	tests := []struct {
		name, want string
		ok         bool
	}{
		{"Москва", "Europe/Moscow", true}, {"moscow", "Europe/Moscow", true}, {"в Москве", "Europe/Moscow", true},
		{"Новосибирске", "Asia/Novosibirsk", true}, {"London", "Europe/London", true}, {"NYC", "America/New_York", true},
		{"в Питере", "Europe/Moscow", true}, {"Санкт-Петербурге", "Europe/Moscow", true}, {"new york", "America/New_York", true},
		{"в Нижнем Новгороде", "Europe/Moscow", true}, {"Екатеринбург", "Asia/Yekaterinburg", true},
		{"в Казани", "Europe/Moscow", true}, {"Владивостоке", "Asia/Vladivostok", true}, {"Калининграде", "Europe/Kaliningrad", true},
		{"Самаре", "Europe/Samara", true}, {"в Тбилиси", "Asia/Tbilisi", true}, {"Дубае", "Asia/Dubai", true},
		{"Берлине", "Europe/Berlin", true}, {"Los Angeles", "America/Los_Angeles", true}, {"Tokyo", "Asia/Tokyo", true},
		{"в Лондоне", "Europe/London", true}, {"Алматы", "Asia/Almaty", true}, {"Ростове-на-Дону", "Europe/Moscow", true},
		{"in Singapore", "Asia/Singapore", true}, {"Омске", "Asia/Omsk", true}, {"Иркутск", "Asia/Irkutsk", true},
		{"Атлантида", "", false}, {"", "", false}, {"офисе", "", false}, {"!!!", "", false},
	}
	for _, tt := range tests {
		got, ok := CityTimezone(tt.name)
		if got != tt.want || ok != tt.ok {
			t.Errorf("CityTimezone(%q) = %q, %v; want %q, %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
}

func TestCityTimezoneCount(t *testing.T) {
	n := 0
	for _, c := range cities {
		n += len(c.names)
	}
	if n < 120 {
		t.Errorf("only %d city names", n)
	}
}
