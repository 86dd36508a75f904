"""Drives VirtLab's Jupyter kernel with jupyter_client's blocking client, as a real front end does.

Usage: kernel_client.py WORKDIR RESULT.json   (JUPYTER_PATH must make the kernelspec findable)
Writes one JSON object with what every scenario saw; the xunit tests assert on it. The kernel's
stderr goes to WORKDIR/kernel.log.
"""
import json, os, queue, sys, time
from jupyter_client.manager import start_new_kernel
from jupyter_client.session import Session

workdir, result_path = sys.argv[1], sys.argv[2]
results = {}
log = open(os.path.join(workdir, "kernel.log"), "w")
started = time.time()
km, kc = start_new_kernel(kernel_name=os.environ.get("VIRTLAB_KERNEL", ".net-virtlab"), startup_timeout=300, cwd=workdir, stdout=log, stderr=log)
results["start_seconds"] = time.time() - started


def execute(code, timeout=300, **options):
    outputs = []
    began = time.time()
    reply = kc.execute_interactive(code, output_hook=lambda m: outputs.append({"type": m["msg_type"], "content": m["content"]}), timeout=timeout, **options)
    return {
        "status": reply["content"]["status"],
        "reply": reply["content"],
        "seconds": time.time() - began,
        "outputs": [o for o in outputs if o["type"] not in ("status", "execute_input")],
    }


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return None


def child_pid():
    out = execute("Console.Write(Environment.ProcessId);")
    return int(out["outputs"][0]["content"]["text"])


def is_complete(code):
    message_id = kc.is_complete(code)
    reply = kc.get_shell_msg(timeout=60)
    while reply["parent_header"].get("msg_id") != message_id:
        reply = kc.get_shell_msg(timeout=60)
    return reply["content"]


try:
  results["kernel_info"] = kc.kernel_info(reply=True, timeout=120)["content"]
  results["stdout"] = execute('Console.WriteLine("hello from the kernel");')
  results["display"] = execute("display(6 * 7);")
  results["error"] = execute('throw new InvalidOperationException("boom");')
  results["library"] = execute('#r "lib/VirtLab.dll"\n#r "lib/VirtLab.Interactive.dll"\n#r "lib/Plotly.NET.dll"\n'
                               "using VirtLab.Machine;\nusing VirtLab.Interactive;\nVirtLabFormatters.Register();")
  results["chart"] = execute('Charts.Bars("Instruction mix", "class", "count", new[] { "alu", "load" }, new[] { 3.0, 4.0 })')
  results["completion"] = kc.complete("new Machine().", 14, reply=True, timeout=120)["content"]
  results["inspection"] = kc.inspect("Machine m = null;", 3, reply=True, timeout=120)["content"]
  results["is_complete"] = {"open": is_complete("if (true) {"), "closed": is_complete("if (true) { }")}

  # Interrupt a cell that never ends: the kernel answers at once, the cell ends, the kernel lives.
  execute("var before = 1;")
  first_child = child_pid()
  message_id = kc.execute("while (true) { }")
  time.sleep(3)
  km.interrupt_kernel()
  interrupted = kc.get_shell_msg(timeout=120)
  while interrupted["parent_header"].get("msg_id") != message_id:
      interrupted = kc.get_shell_msg(timeout=120)
  results["interrupt"] = {"reply": interrupted["content"], "after": execute("1 + 1"), "first_child": first_child, "second_child": child_pid()}

  # A cell that overflows its stack, then a cell that still runs.
  results["stack_overflow"] = execute("int F(int n) => F(n + 1) + 1;\nF(0)")
  results["after_stack_overflow"] = execute('Console.WriteLine("still here");')

  # A message signed with the wrong key is refused: its code never runs.
  wrong = Session(key=b"not-the-kernel-key", username="intruder")
  wrong.send(kc.shell_channel.socket, "execute_request", {
      "code": 'System.IO.File.WriteAllText("wrongly-signed-ran.txt", "ran");', "silent": False,
      "store_history": True, "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
  time.sleep(3)
  results["wrong_signature"] = {"ran": os.path.exists(os.path.join(workdir, "wrongly-signed-ran.txt")), "after": execute("2 + 2")}

  # Console.ReadLine(): an input_request to a front end that allows input (it types "Ada"), the
  # end of input at once for one that does not.
  asked = []
  def type_ada(message):
      asked.append(message["content"])
      kc.input("Ada")
  results["input"] = {
      "allowed": execute('Console.Write("name? ");\nConsole.WriteLine("hello " + Console.ReadLine());', allow_stdin=True, stdin_hook=type_ada),
      "asked": asked,
      "not_allowed": execute("Console.ReadLine() ?? \"end of input\"", allow_stdin=False),
  }

  # A thread that a cell started throws after that cell ended. Its error goes out on iopub under
  # that cell's request (VS Code shows it there, as with ipykernel's threads); the next cell is
  # told the process ended before it ran; the one after runs in a fresh process.
  starter = kc.execute('new System.Threading.Thread(() => { System.Threading.Thread.Sleep(300); '
                       'throw new InvalidOperationException("thrown after its cell"); }).Start();')
  late, deadline = None, time.time() + 120
  while late is None and time.time() < deadline:
      try:
          message = kc.get_iopub_msg(timeout=5)
      except queue.Empty:
          continue
      if message["msg_type"] == "error" and message["parent_header"].get("msg_id") == starter:
          late = message["content"]
  results["outliving_thread"] = {"late_error": late, "next": execute("1 + 1"), "after": execute("2 + 2")}

  # 200 consecutive executes, twice: of a cell that declares nothing (run collectible, so the
  # process forgets it) and of a cell that declares a variable (kept: later cells compile on it).
  # The child's memory before and after each: the managed heap that survives a full GC (what the
  # cells' state keeps) and the process's RSS (what the machine pays).
  pid = child_pid()
  collect = "GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect(); Console.Write(GC.GetTotalMemory(true));"
  def collected_heap_bytes():
      return int(execute(collect)["outputs"][0]["content"]["text"])
  kernel_pid = km.provisioner.process.pid  # the kernel process itself, which never runs a cell
  def two_hundred(warm_ups, warm_up, cell, last):
      rss_before_warm_up = rss_kib(pid)
      for i in range(warm_ups):
          execute(warm_up.format(i=i))
      before_raw = rss_kib(pid)
      heap_before = collected_heap_bytes()
      before = rss_kib(pid)
      kernel_before = rss_kib(kernel_pid)
      began = time.time()
      for i in range(200):
          execute(cell.format(i=i))
      seconds = time.time() - began
      after_raw = rss_kib(pid)
      kernel_after = rss_kib(kernel_pid)
      heap_after = collected_heap_bytes()
      return {"count": 200, "seconds": seconds, "rss_before_kib": before, "rss_after_kib": rss_kib(pid),
              "warm_ups": warm_ups, "rss_before_warm_up_kib": rss_before_warm_up,
              "kernel_rss_before_kib": kernel_before, "kernel_rss_after_kib": kernel_after,
              "rss_before_raw_kib": before_raw, "rss_after_raw_kib": after_raw,
              "heap_before_bytes": heap_before, "heap_after_bytes": heap_after, "same_child": child_pid() == pid,
              "last": execute(last)}
  execute("var total = 0;")
  # Compiling a cell raises the process's RSS for the first several hundred cells, whether or not
  # anything of it is kept (the GC's and the native allocator's high-water marks; it happens even
  # when cells are only compiled and never loaded), so the cell that declares nothing warms up for
  # 700 executes first: what the 200 after them add is what the cells keep. 40 warm-ups are enough
  # for the cells that declare, since what they keep dwarfs that.
  results["many"] = two_hundred(700, "total -= {i};", "total += {i};\nConsole.WriteLine(total);", "total")
  results["many_declaring"] = two_hundred(40, "var warm{i} = {i};", "var value{i} = {i} * 2;\nConsole.WriteLine(value{i});", "value199")

  # Restart: a new process, an empty state.
  execute("var kept = 1;")
  km.restart_kernel(now=False)
  kc.wait_for_ready(timeout=300)
  results["after_restart"] = execute("kept")

  started = time.time()
  km.shutdown_kernel(now=False)
  results["shutdown"] = {"seconds": time.time() - started, "alive": km.is_alive()}
finally:
    if km.is_alive():
        km.shutdown_kernel(now=True)  # a failed scenario must not leave the kernel running
kc.stop_channels()
log.close()
with open(os.path.join(workdir, "kernel.log")) as kernel_log:
    results["kernel_log"] = kernel_log.read()
with open(result_path, "w") as out:
    json.dump(results, out, indent=1)
