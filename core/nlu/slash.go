package nlu

// slashIntents maps bot commands to intents.
var slashIntents = map[string]Intent{
	"today": IntentListTasks, "tomorrow": IntentListTasks, "week": IntentListTasks, "tasks": IntentListTasks,
	"goals": IntentShowReport, "load": IntentShowLoad, "report": IntentShowReport, "settings": IntentSettings,
	"pause": IntentSettings, "resume": IntentSettings, "help": IntentHelp, "start": IntentHelp, "new": IntentCreateTask,
	"task": IntentCreateTask, "goal": IntentCreateGoal, "done": IntentCompleteTask, "plan": IntentPlanGoal,
	"replan": IntentReplan, "reflect": IntentReflect, "move": IntentRescheduleTask,
}

// slashCommand handles "/today", "/pause@bizbot до понедельника", "/new купить молоко завтра".
func (p *parser) slashCommand() (Result, bool) {
	if !p.punct(0, "/") || p.w(1) == "" || !p.adj(1) {
		return Result{}, false
	}
	cmd := p.w(1)
	in, ok := slashIntents[cmd]
	if !ok {
		return Result{}, false
	}
	j := 2
	if p.punct(j, "@") && p.adj(j) {
		for j++; j < len(p.toks) && p.adj(j) && (p.toks[j].kind != tkPunct || p.toks[j].s == "_"); j++ {
		}
	}
	p.mark(0, j, skIntent)
	r := p.buildCommand(cmd, in)
	r.Intent, r.Confidence = in, confCommand
	return r, true
}

func (p *parser) buildCommand(cmd string, in Intent) Result {
	switch cmd {
	case "today", "tasks":
		return p.listDay(0)
	case "tomorrow":
		return p.listDay(1)
	case "week":
		d := p.mondayOf(0)
		return Result{Due: &d, Period: PeriodWeek}
	case "settings":
		return Result{Setting: SettingShow}
	case "resume":
		return Result{Setting: SettingResume}
	case "pause":
		r := Result{Setting: SettingPause}
		if d, ok := p.pauseUntil(0); ok {
			r.Due = &d
		}
		return r
	}
	switch in {
	case IntentCreateTask:
		return p.buildTask(confCommand)
	case IntentCreateGoal:
		return p.buildGoal(confCommand)
	case IntentCompleteTask:
		return p.buildComplete()
	case IntentRescheduleTask:
		return p.buildReschedule()
	case IntentPlanGoal:
		return Result{Title: p.title(skDate)}
	case IntentReflect:
		r := Result{}
		p.scanLevels(&r)
		r.Notes = p.title()
		return r
	}
	return p.withPeriod(Result{})
}

func (p *parser) listDay(days int) Result {
	d := p.today.AddDays(days)
	if p.s.hasDate {
		return p.withPeriod(Result{})
	}
	return Result{Due: &d, Period: PeriodDay}
}
