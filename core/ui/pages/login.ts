import { html } from '../html.ts';
import { page } from './layout.ts';

/** The sign-in form: a bearer token for the API server, kept in an HttpOnly cookie by this server. */
export function loginPage(message?: string): string {
  return page({
    title: 'Sign in',
    kind: 'login',
    body: html`<h1>Sign in</h1>
<p>This web view shows only what your Kubernetes identity may <code>get</code>. Paste a bearer token (for example from <code>kubectl create token &lt;service account&gt;</code>).</p>
${message ? html`<p class="error" role="alert">${message}</p>` : ''}
<form method="post" action="/login">
<label for="token">Bearer token</label>
<input id="token" name="token" type="password" autocomplete="off" required>
<button type="submit">Sign in</button>
</form>`,
  });
}
