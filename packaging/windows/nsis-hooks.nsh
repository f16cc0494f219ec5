; NSIS installer hooks (tauri.conf.json > bundle > windows > nsis > installerHooks).
;
; %ProgramData%\MFA Desk holds IT's config.json and config.d\*.json. It is created with an
; access list of its own, without ProgramData's inherited entries (which let any user create
; files): Administrators and SYSTEM may change it, Users may only read. Well-known SIDs, so
; the names of the installed language do not matter. The MSI does the same
; (packaging/windows/programdata.wxs). The folder stays after uninstalling: IT's files are IT's.

!macro NSIS_HOOK_POSTINSTALL
  SetShellVarContext all
  CreateDirectory "$APPDATA\MFA Desk"
  nsExec::ExecToLog 'icacls "$APPDATA\MFA Desk" /inheritance:r /grant:r *S-1-5-32-544:(OI)(CI)F *S-1-5-18:(OI)(CI)F *S-1-5-32-545:(OI)(CI)RX'
  Pop $0
  nsExec::ExecToLog 'icacls "$APPDATA\MFA Desk" /setowner *S-1-5-32-544 /T'
  Pop $0
!macroend
