// Modals and confirm dialogs. The modal stack follows Slack: views.open starts it, views.push adds to it, views.update
// redraws a view in place (keeping what was typed), and the app's answer to a submission closes, updates, pushes, clears
// or shows field errors.

import { collectState, renderBlocks, restoreState } from './blocks.js';
import { h } from './dom.js';
import { mrkdwn } from './mrkdwn.js';

const textOf = (t, fallback = '') => (t && typeof t === 'object' ? t.text : (t ?? fallback));

/** A button's `confirm` object as Slack shows it; resolves true on the confirm button. */
export function confirmDialog(confirm, ctx = {}) {
  return new Promise((resolve) => {
    const close = (answer) => {
      backdrop.remove();
      resolve(answer);
    };
    const body = confirm.text?.type === 'mrkdwn' ? mrkdwn(confirm.text.text, ctx) : mrkdwn(textOf(confirm.text), ctx);
    const backdrop = h(
      'div',
      { class: 'backdrop confirm-backdrop' },
      h(
        'div',
        { class: 'dialog confirm-dialog', role: 'dialog' },
        h('div', { class: 'dialog-title' }, textOf(confirm.title) || 'Are you sure?'),
        h('div', { class: 'dialog-body', html: body }),
        h(
          'div',
          { class: 'dialog-footer' },
          h('button', { class: 'btn', type: 'button', onclick: () => close(false) }, textOf(confirm.deny) || 'Cancel'),
          h('button', { class: `btn ${confirm.style === 'danger' ? 'btn-danger' : 'btn-primary'}`, type: 'button', onclick: () => close(true) }, textOf(confirm.confirm) || 'Yes'),
        ),
      ),
    );
    document.body.append(backdrop);
  });
}

export class ModalStack {
  /**
   * @param {object} deps
   * @param {HTMLElement} deps.root
   * @param {(view: object) => object} deps.makeContext  the rendering context of a view (dispatch, confirm, inputs)
   * @param {(view: object, values: object) => Promise<object>} deps.submit  sends view_submission; resolves the outcome
   * @param {(view: object) => void} deps.closed  tells the app the view closed (when it asked to know)
   */
  constructor(deps) {
    Object.assign(this, deps);
    this.views = [];
    this.shown = null;
  }

  reset() {
    this.views = [];
    this.render();
  }

  /** A view change the local Slack pushed (views.open / push / update). */
  onView(action, view) {
    if (action === 'opened') this.views = [view];
    else if (action === 'pushed') this.views.push(view);
    else {
      const i = this.views.findIndex((v) => v.id === view.id);
      if (i < 0) return;
      this.views[i] = view;
      if (this.shown?.viewId === view.id) return this.render(collectState(this.shown.ctx));
    }
    this.render();
  }

  /** What the app answered to Submit. */
  apply(outcome, root, problem) {
    switch (outcome.action) {
      case 'errors':
        for (const [blockId, message] of Object.entries(outcome.errors)) {
          const slot = root.querySelector(`.block[data-block-id="${CSS.escape(blockId)}"] .input-error`);
          if (slot) {
            slot.textContent = message;
            slot.hidden = false;
          }
        }
        return;
      case 'failed':
        problem.textContent = outcome.problem;
        problem.hidden = false;
        return;
      case 'update':
        this.views[this.views.length - 1] = outcome.view;
        break;
      case 'push':
        this.views.push(outcome.view);
        break;
      case 'clear':
        this.views = [];
        break;
      default:
        this.views.pop();
    }
    this.render();
  }

  /** Draws the top of the stack; `carried` holds values typed before a views.update. */
  render(carried) {
    const view = this.views.at(-1);
    this.shown = null;
    if (!view) return this.root.replaceChildren();
    const ctx = this.makeContext(view);
    const problem = h('div', { class: 'modal-problem', hidden: true });
    const submit = async () => {
      problem.hidden = true;
      this.root.querySelectorAll('.input-error').forEach((e) => (e.hidden = true));
      const outcome = await this.submit(view, collectState(ctx)).catch((error) => ({ action: 'failed', problem: error.message }));
      this.apply(outcome, this.root, problem);
    };
    const close = (all) => {
      this.closed(view);
      if (all) this.views = [];
      else this.views.pop();
      this.render();
    };
    this.root.replaceChildren(
      h(
        'div',
        { class: 'backdrop' },
        h(
          'div',
          { class: 'dialog modal', role: 'dialog', 'data-callback-id': view.callback_id, 'data-view-id': view.id },
          h('div', { class: 'modal-header' }, h('span', { class: 'dialog-title' }, textOf(view.title, 'Hogbot')), h('button', { class: 'icon-btn', type: 'button', title: 'Close', onclick: () => close(true) }, '✕')),
          h('div', { class: 'modal-body' }, renderBlocks(view.blocks, ctx), problem),
          h(
            'div',
            { class: 'dialog-footer' },
            h('button', { class: 'btn', type: 'button', onclick: () => close(false) }, this.views.length > 1 ? 'Back' : textOf(view.close, 'Cancel')),
            view.submit ? h('button', { class: 'btn btn-primary modal-submit', type: 'button', onclick: submit }, textOf(view.submit, 'Submit')) : null,
          ),
        ),
      ),
    );
    this.shown = { viewId: view.id, ctx };
    if (carried) restoreState(ctx, carried);
    else this.root.querySelector('input, textarea, select')?.focus();
  }
}
