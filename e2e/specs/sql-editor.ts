import { expect, type Page } from '@playwright/test';

/** Replaces the SQL in the CodeMirror editor as a person would: click into it, select all, type over it. */
export async function setSql(page: Page, sql: string): Promise<void> {
  const editor = page.locator('.cm-content');
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  if (sql === '') {
    await page.keyboard.press('Delete');
    await expect(editor.locator('.cm-placeholder')).toBeVisible();
    return;
  }
  await page.keyboard.insertText(sql);
  await page.keyboard.press('Escape'); // closes a completion list the typing may have opened
  await expect(editor).toHaveText(sql.replaceAll('\n', ''));
}
