/**
 * The answer to a write PostHog's approval policy holds (409 approval_required / change_request_pending): the change
 * waits for approval in PostHog, nothing changed yet, and there is nothing to undo. The link is the change request's page
 * in PostHog's app: frontend/src/scenes/urls.ts `approval: (id) => /approvals/{id}` (project-scoped), or the approvals
 * settings (`/settings/organization-approvals#change-requests`) when the project is not known.
 */
import { LINK_ACTION } from '../../views/audit.js';
import { actions, button, type Message, section } from '../../views/blocks.js';
import { projectUrl } from '../../views/links.js';
import type { ApproverNames } from './approvers.js';
import type { UpstreamError } from './errors.js';
import { isUpstreamError } from './errors.js';
import { approvalText } from './translate.js';

export function isApprovalHold(error: unknown): error is UpstreamError & { kind: 'posthog_approval_pending' } {
  return isUpstreamError(error) && error.kind === 'posthog_approval_pending';
}

export function changeRequestUrl(appUrl: string, projectId: number | null, changeRequestId: string | undefined): string {
  if (projectId === null || changeRequestId === undefined) return `${appUrl}/settings/organization-approvals#change-requests`;
  return projectUrl(appUrl, projectId, `/approvals/${encodeURIComponent(changeRequestId)}`);
}

export function approvalHeldMessage(appUrl: string, projectId: number | null, error: UpstreamError, names?: ApproverNames): Message {
  // Not an outcome with a tick and an Undo: nothing has happened yet.
  const text = approvalText(error, names);
  const url = changeRequestUrl(appUrl, projectId, error.approval?.changeRequestId);
  return {
    text,
    blocks: [
      section(`:hourglass_flowing_sand: ${text}`),
      actions('hogbot_outcome', [button({ text: 'Open the change request', actionId: LINK_ACTION, url })]),
    ],
  };
}
