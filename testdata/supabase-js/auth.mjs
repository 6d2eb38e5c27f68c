// auth.mjs runs supabase-js's own auth client against the product's Supabase-compatible auth
// API (TestSupabaseJSSignsIn): sign up, sign in, read and change the user, refresh, sign out,
// and a refused sign-in. It prints one JSON line of what each step saw, or exits non-zero.
import { createClient } from '@supabase/supabase-js'

const url = process.argv[2]
const email = process.argv[3]
const client = () => createClient(url, 'anon-key-unused', { auth: { persistSession: false, autoRefreshToken: false } })
const fail = (step, error) => { console.error(step + ': ' + (error && (error.message + ' ' + (error.code ?? '')))); process.exit(1) }

const out = {}
const a = client()
let r = await a.auth.signUp({ email, password: 'correct horse', options: { data: { name: 'Anna' } } })
if (r.error) fail('signUp', r.error)
out.signUp = { user: r.data.user?.email, session: !!r.data.session, name: r.data.user?.user_metadata?.name }

const b = client()
r = await b.auth.signInWithPassword({ email, password: 'wrong one' })
out.wrongPassword = { status: r.error?.status, code: r.error?.code, message: r.error?.message }

r = await b.auth.signInWithPassword({ email, password: 'correct horse' })
if (r.error) fail('signInWithPassword', r.error)
out.signIn = { user: r.data.user?.email, expiresIn: r.data.session?.expires_in }
const first = r.data.session

r = await b.auth.getUser()
if (r.error) fail('getUser', r.error)
out.getUser = r.data.user?.id === first.user.id

r = await b.auth.updateUser({ data: { company: 'Acme' } })
if (r.error) fail('updateUser', r.error)
out.updateUser = r.data.user?.user_metadata?.company

r = await b.auth.refreshSession()
if (r.error) fail('refreshSession', r.error)
out.refreshed = r.data.session?.refresh_token !== first.refresh_token

const c = client()
r = await c.auth.refreshSession({ refresh_token: first.refresh_token })
out.reused = { status: r.error?.status, code: r.error?.code }

r = await b.auth.signOut()
out.signOut = r.error ? r.error.message : 'ok'
console.log(JSON.stringify(out))
