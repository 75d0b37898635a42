-- Init file for the headless Neovim test (test/e2e/neovim.test.mjs): Neovim's built-in LSP client runs
-- `node dist/server.js --stdio` for YAML files, then this file drives it like a user would: it opens the Tekton file
-- given in TEKTON_NVIM_BROKEN, waits for the pushed diagnostics (vim.diagnostic.get), asks for hover there and for
-- completion in TEKTON_NVIM_COMPLETE (positions as LINE:CHARACTER, zero-based), and writes everything as JSON to
-- TEKTON_NVIM_RESULT before quitting.
-- Only APIs of Neovim 0.7 (Debian bookworm) are used: vim.lsp.start_client + buf_attach_client (vim.lsp.start is 0.8+).
local env = vim.env
local server = env.TEKTON_LS_SERVER
local result_path = env.TEKTON_NVIM_RESULT
local timeout_ms = tonumber(env.TEKTON_NVIM_STEP_TIMEOUT_MS or '20000')

local result = { version = vim.version(), steps = {} }

local function write_result()
  local f = assert(io.open(result_path, 'w'))
  f:write(vim.json.encode(result))
  f:close()
end

local function step(name)
  table.insert(result.steps, name)
  write_result() -- the test shows how far it got when Neovim hangs or dies
end

vim.lsp.set_log_level(env.TEKTON_NVIM_LSP_LOG_LEVEL or 'WARN')

-- The configuration under test: the same shape as the README's Neovim 0.7 example.
local client_id
vim.api.nvim_create_autocmd('FileType', {
  pattern = 'yaml',
  callback = function(args)
    if not client_id then
      client_id = vim.lsp.start_client({
        name = 'tekton-ls',
        cmd = { 'node', server, '--stdio' },
        root_dir = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(args.buf), ':p:h'),
      })
    end
    if client_id then vim.lsp.buf_attach_client(args.buf, client_id) end
  end,
})

local function wait_for(what, cond)
  if not vim.wait(timeout_ms, cond, 50) then error(('timed out after %d ms waiting for %s'):format(timeout_ms, what)) end
end

local function position_params(bufnr, line, character)
  return { textDocument = { uri = vim.uri_from_bufnr(bufnr) }, position = { line = line, character = character } }
end

-- The one answer of our client to a buf_request_sync, or an error naming the method.
local function request(bufnr, method, params)
  local responses, err = vim.lsp.buf_request_sync(bufnr, method, params, timeout_ms)
  if not responses then error(('%s: %s'):format(method, tostring(err))) end
  local response = responses[client_id]
  if not response then error(method .. ': no response from tekton-ls') end
  if response.err then error(('%s: %s'):format(method, vim.inspect(response.err))) end
  return response.result
end

local function run()
  step('start')
  vim.cmd('edit ' .. vim.fn.fnameescape(env.TEKTON_NVIM_BROKEN))
  local broken = vim.api.nvim_get_current_buf()
  result.filetype = vim.bo[broken].filetype
  wait_for('the yaml FileType autocmd to start tekton-ls', function() return client_id ~= nil end)
  wait_for('tekton-ls to initialize', function()
    local client = vim.lsp.get_client_by_id(client_id)
    return client ~= nil and client.initialized == true
  end)
  step('initialized')

  -- Until a diagnostic with the expected code arrives (the server may push more than once while it indexes).
  local wait_code = env.TEKTON_NVIM_WAIT_CODE
  wait_for(('a %s diagnostic pushed by tekton-ls'):format(wait_code or 'first'), function()
    for _, d in ipairs(vim.diagnostic.get(broken)) do
      if wait_code == nil or d.code == wait_code then return true end
    end
    return false
  end)
  result.diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(broken)) do
    table.insert(result.diagnostics, {
      code = d.code,
      message = d.message,
      source = d.source,
      severity = d.severity,
      lnum = d.lnum,
      col = d.col,
      end_lnum = d.end_lnum,
      end_col = d.end_col,
    })
  end
  step('diagnostics')

  local hover_at = vim.split(env.TEKTON_NVIM_HOVER_AT, ':', true)
  local hover = request(broken, 'textDocument/hover', position_params(broken, tonumber(hover_at[1]), tonumber(hover_at[2])))
  result.hover = hover and hover.contents
  step('hover')

  vim.cmd('edit ' .. vim.fn.fnameescape(env.TEKTON_NVIM_COMPLETE))
  local complete = vim.api.nvim_get_current_buf()
  wait_for('tekton-ls to attach to the second file', function() return vim.lsp.buf_is_attached(complete, client_id) end)
  local complete_at = vim.split(env.TEKTON_NVIM_COMPLETE_AT, ':', true)
  local list = request(complete, 'textDocument/completion', position_params(complete, tonumber(complete_at[1]), tonumber(complete_at[2])))
  local items = list and (list.items or list) or {}
  result.completion = { isIncomplete = list and list.isIncomplete, labels = {} }
  for _, item in ipairs(items) do table.insert(result.completion.labels, item.label) end
  step('completion')
end

vim.api.nvim_create_autocmd('VimEnter', {
  once = true,
  callback = function()
    -- Deferred so that startup finishes first; errors are written to the result, never left to a prompt.
    vim.defer_fn(function()
      local ok, err = xpcall(run, debug.traceback)
      if not ok then result.error = tostring(err) end
      result.lsp_log = vim.lsp.get_log_path()
      step('done')
      vim.cmd('qall!')
    end, 0)
  end,
})
