// mail.mjs runs one step of supabase-js's mail flows against the auth API
// (TestSupabaseJSConfirmsByMail), the test reading the mails in between:
//   signup URL EMAIL              — sign up; the session waits for the confirmation
//   confirm URL EMAIL CODE        — verifyOtp type signup with the mailed code
//   reset URL EMAIL               — resetPasswordForEmail
//   recover URL EMAIL CODE NEW    — verifyOtp type recovery, updateUser password, sign in with it
// It prints one JSON line of what it saw, or exits non-zero.
import { createClient } from '@supabase/supabase-js'

const [step, url, email, code, password] = process.argv.slice(2)
const client = createClient(url, 'anon-key-unused', { auth: { persistSession: false, autoRefreshToken: false } })
const fail = (what, error) => { console.error(what + ': ' + (error && (error.message + ' ' + (error.code ?? '')))); process.exit(1) }

let r
switch (step) {
  case 'signup':
    r = await client.auth.signUp({ email, password: 'correct horse' })
    if (r.error) fail('signUp', r.error)
    console.log(JSON.stringify({ user: r.data.user?.email, session: !!r.data.session, confirmed: r.data.user?.email_confirmed_at ?? null }))
    break
  case 'confirm':
    r = await client.auth.verifyOtp({ email, token: code, type: 'signup' })
    if (r.error) fail('verifyOtp', r.error)
    console.log(JSON.stringify({ user: r.data.user?.email, session: !!r.data.session, confirmed: !!r.data.user?.email_confirmed_at }))
    break
  case 'reset':
    r = await client.auth.resetPasswordForEmail(email)
    if (r.error) fail('resetPasswordForEmail', r.error)
    console.log(JSON.stringify({ ok: true }))
    break
  case 'recover': {
    r = await client.auth.verifyOtp({ email, token: code, type: 'recovery' })
    if (r.error) fail('verifyOtp', r.error)
    r = await client.auth.updateUser({ password })
    if (r.error) fail('updateUser', r.error)
    const other = createClient(url, 'anon-key-unused', { auth: { persistSession: false, autoRefreshToken: false } })
    r = await other.auth.signInWithPassword({ email, password })
    if (r.error) fail('signInWithPassword', r.error)
    console.log(JSON.stringify({ signedIn: !!r.data.session }))
    break
  }
  default:
    fail('usage', new Error('unknown step ' + step))
}
