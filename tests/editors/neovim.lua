-- Drives `blcheck lsp` from Neovim's built-in LSP client, headless: opens
-- BLCHECK_FILE in the workspace BLCHECK_ROOT, waits for the diagnostics,
-- asks for a hover on the first and a completion, and writes what the
-- editor got as JSON to BLCHECK_OUT. Run by tests/cli/editors.rs:
--   nvim --headless --clean -c 'luafile tests/editors/neovim.lua'
-- Written for Neovim 0.7 (Debian 12's), whose API later releases keep.
local env = vim.env
local result = { diagnostics = {}, errors = {} }
local function finish()
  vim.fn.writefile({ vim.fn.json_encode(result) }, env.BLCHECK_OUT)
  vim.cmd('qall!')
end
local ok, err = pcall(function()
  local id = vim.lsp.start_client({
    name = 'blcheck',
    cmd = { env.BLCHECK_BIN, 'lsp', '--as-of', env.BLCHECK_AS_OF },
    root_dir = env.BLCHECK_ROOT,
  })
  assert(id, 'the client did not start')
  vim.cmd('edit ' .. vim.fn.fnameescape(env.BLCHECK_FILE))
  vim.lsp.buf_attach_client(0, id)
  vim.wait(60000, function() return #vim.diagnostic.get(0) > 0 end, 50)
  for _, d in ipairs(vim.diagnostic.get(0)) do
    local lsp = (d.user_data or {}).lsp or {}
    table.insert(result.diagnostics, {
      line = d.lnum + 1,
      column = d.col + 1,
      code = d.code or lsp.code,
      source = d.source,
      severity = d.severity,
    })
  end
  local first = vim.diagnostic.get(0)[1]
  if first then
    local params = {
      textDocument = { uri = vim.uri_from_bufnr(0) },
      position = { line = first.lnum, character = first.col },
    }
    local answers = vim.lsp.buf_request_sync(0, 'textDocument/hover', params, 30000) or {}
    for _, answer in pairs(answers) do
      if answer.result then
        result.hover = answer.result.contents.value
      end
      if answer.err then
        table.insert(result.errors, answer.err.message)
      end
    end
  end
  vim.lsp.stop_client(id)
  vim.wait(5000, function() return vim.lsp.client_is_stopped(id) end, 50)
  result.stopped = vim.lsp.client_is_stopped(id)
end)
if not ok then
  table.insert(result.errors, tostring(err))
end
finish()
