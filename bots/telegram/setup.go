package telegram

import (
	"context"
	"errors"
	"fmt"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// command is a bot command with its menu descriptions.
type command struct {
	name, en, ru string
}

// commands are the bot's menu, in the order Telegram shows them.
var commands = []command{
	{"today", "Plan for today", "План на сегодня"},
	{"tomorrow", "Plan for tomorrow", "План на завтра"},
	{"week", "This week's plan", "План на неделю"},
	{"goals", "Your goals and progress", "Цели и прогресс"},
	{"new", "Add a goal or task", "Новая цель или задача"},
	{"load", "Business load", "Загрузка"},
	{"report", "Weekly report", "Отчёт за неделю"},
	{"settings", "Time zone, language, reminders", "Часовой пояс, язык, напоминания"},
	{"pause", "Pause reminders", "Приостановить напоминания"},
	{"help", "What I can do", "Что я умею"},
}

// Setup learns the bot's username (getMe), registers the command menu in English (default) and
// Russian and, when webhookURL isn't empty, points Telegram's webhook at it with the secret token.
func (a *Adapter) Setup(ctx context.Context, webhookURL string) error {
	if webhookURL != "" && a.secret == "" {
		return errors.New("telegram: setup: a webhook needs a webhook secret")
	}
	var me *models.User
	err := a.call(ctx, "get me", func(ctx context.Context) (err error) {
		me, err = a.bot.GetMe(ctx)
		return err
	})
	if err != nil {
		return err
	}
	a.setUsername(me.Username)
	for _, lang := range []string{"", "ru"} {
		if err := a.setCommands(ctx, lang); err != nil {
			return err
		}
	}
	if webhookURL == "" {
		return nil
	}
	return a.call(ctx, "set webhook", func(ctx context.Context) error {
		_, err := a.bot.SetWebhook(ctx, &bot.SetWebhookParams{
			URL: webhookURL, SecretToken: a.secret, AllowedUpdates: allowedUpdates,
		})
		return err
	})
}

// setCommands registers the menu for lang ("" is the default, English).
func (a *Adapter) setCommands(ctx context.Context, lang string) error {
	list := make([]models.BotCommand, 0, len(commands))
	for _, c := range commands {
		desc := c.en
		if lang == "ru" {
			desc = c.ru
		}
		list = append(list, models.BotCommand{Command: c.name, Description: desc})
	}
	return a.call(ctx, fmt.Sprintf("set commands %q", lang), func(ctx context.Context) error {
		_, err := a.bot.SetMyCommands(ctx, &bot.SetMyCommandsParams{Commands: list, LanguageCode: lang})
		return err
	})
}
